package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.api.topology.Impairments;

import java.time.Duration;

/**
 * What a link's delay line does: each frame leaves {@code delay} ± up to {@code jitter} after it arrived, in arrival
 * order, and a frame that finds {@code limit} frames waiting is dropped (the link's emulated queue, as netem's
 * limit). The agent's own bound comes on top: a frame that would take the frames waiting past {@code byteLimit}
 * bytes is dropped too (see {@link DelayLineQueue}). {@code lossPercent} is the loss the line itself carries (null
 * when the loss filter does: the line carries loss only when it is correlated); {@code impairments} are the rest
 * (see {@link FrameImpairer}). Equal values mean a running delay line needs no restart.
 */
public record DelayLine(Duration delay, Duration jitter, int limit, long byteLimit, Double lossPercent, Impairments impairments) {
    /** The queue limit when the link sets none (Mininet's and the kernel's usual 1000 packets). */
    public static final int DEFAULT_LIMIT = 1000;
    /**
     * Bytes one direction may hold: 16 MiB covers a full queue of 1000 frames of up to ~16 KiB each, or 1 Gbit/s
     * held for over 100 ms; without it, 1000 GSO frames of 64 KiB would be 64 MiB per direction of the agent's heap.
     */
    public static final long DEFAULT_BYTE_LIMIT = 16L << 20;

    public DelayLine {
        impairments = impairments == null ? Impairments.NONE : impairments;
    }

    public DelayLine(Duration delay, Duration jitter, int limit, long byteLimit) {
        this(delay, jitter, limit, byteLimit, null, Impairments.NONE);
    }

    public DelayLine(Duration delay, Duration jitter, int limit) {
        this(delay, jitter, limit, DEFAULT_BYTE_LIMIT);
    }
}
