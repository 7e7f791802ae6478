package io.nfvlab.agent.kernel.shaping;

import java.time.Duration;

/**
 * What a link's delay line does: each frame leaves {@code delay} ± up to {@code jitter} after it arrived, in arrival
 * order, and a frame that finds {@code limit} frames waiting is dropped. Equal values mean a running delay line needs
 * no restart.
 */
public record DelayLine(Duration delay, Duration jitter, int limit) {
    /** The queue limit when the link sets none (Mininet's and the kernel's usual 1000 packets). */
    public static final int DEFAULT_LIMIT = 1000;
}
