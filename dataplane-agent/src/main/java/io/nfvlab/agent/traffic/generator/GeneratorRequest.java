package io.nfvlab.agent.traffic.generator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One nfvlab-gen run: frames from {@code srcMac} to {@code dstMac} on the vhost-user socket, either paced at
 * {@code ratePps} for {@code duration} or, when {@code burstFrames > 0}, that many frames back to back as fast as the
 * port takes them. After the last frame the receive side keeps counting for {@code drainWait}; what has not come back
 * by then is lost. Every field is checked here, so that a bad value is refused with its name before anything runs.
 *
 * @param vhostSocket absolute path without ',', '=' or whitespace (it goes into DPDK's --vdev argument)
 * @param ratePps     frames per second, &gt; 0 in paced mode; ignored (may be 0) in burst mode
 * @param duration    transmit time in paced mode (up to an hour); ignored (may be null) in burst mode
 * @param burstFrames 0: paced; otherwise the number of frames of the burst
 * @param drainWait   null: {@link #DEFAULT_DRAIN_WAIT}
 */
public record GeneratorRequest(Path vhostSocket, String srcMac, String dstMac, FrameSize frameSize, double ratePps,
                               Duration duration, long burstFrames, Duration drainWait) {
    public static final Duration DEFAULT_DRAIN_WAIT = Duration.ofMillis(500);
    public static final Duration MAX_DURATION = Duration.ofHours(1);
    public static final Duration MAX_DRAIN_WAIT = Duration.ofSeconds(60);
    /** Far above what a vhost-user port carries on any machine; only a typo asks for more. */
    public static final double MAX_RATE_PPS = 100e6;
    public static final long MAX_BURST_FRAMES = 1_000_000_000L;
    static final Pattern MAC = Pattern.compile("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$");
    private static final Pattern SOCKET_UNSAFE = Pattern.compile("[,=\\s]");

    public GeneratorRequest {
        checkSocket("vhostSocket", vhostSocket);
        srcMac = mac("srcMac", srcMac);
        dstMac = mac("dstMac", dstMac);
        if ((Integer.parseInt(srcMac.substring(0, 2), 16) & 1) != 0) {
            throw new IllegalArgumentException("srcMac: " + srcMac + " is a multicast address; a source must be unicast");
        }
        Objects.requireNonNull(frameSize, "frameSize: required");
        if (burstFrames < 0 || burstFrames > MAX_BURST_FRAMES) {
            throw new IllegalArgumentException("burstFrames: " + burstFrames + " is outside 0 (paced) to " + MAX_BURST_FRAMES);
        }
        if (burstFrames == 0) {
            if (!(ratePps > 0) || ratePps > MAX_RATE_PPS) {
                throw new IllegalArgumentException("ratePps: " + ratePps + " is outside (0, 1e8] frames/s");
            }
            if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("duration: " + duration + " is outside (0, 1h]");
            }
            if (duration.toMillis() == 0) {
                throw new IllegalArgumentException("duration: " + duration + " is shorter than a millisecond");
            }
        } else if (!(ratePps >= 0) || Double.isInfinite(ratePps)) {
            throw new IllegalArgumentException("ratePps: " + ratePps + " is not a rate (burst mode ignores it; give 0)");
        }
        drainWait = drainWait == null ? DEFAULT_DRAIN_WAIT : drainWait;
        if (drainWait.isNegative() || drainWait.compareTo(MAX_DRAIN_WAIT) > 0) {
            throw new IllegalArgumentException("drainWait: " + drainWait + " is outside 0 to 60 s");
        }
    }

    /** Frames sent at {@code ratePps} for {@code duration}. */
    public static GeneratorRequest paced(Path vhostSocket, String srcMac, String dstMac, FrameSize frameSize,
                                         double ratePps, Duration duration) {
        return new GeneratorRequest(vhostSocket, srcMac, dstMac, frameSize, ratePps, duration, 0, null);
    }

    /** {@code frames} frames back to back. */
    public static GeneratorRequest burst(Path vhostSocket, String srcMac, String dstMac, FrameSize frameSize, long frames) {
        if (frames <= 0) {
            throw new IllegalArgumentException("burstFrames: a burst has at least one frame, got " + frames);
        }
        return new GeneratorRequest(vhostSocket, srcMac, dstMac, frameSize, 0, null, frames, null);
    }

    public GeneratorRequest withDrainWait(Duration wait) {
        return new GeneratorRequest(vhostSocket, srcMac, dstMac, frameSize, ratePps, duration, burstFrames, wait);
    }

    public boolean isBurst() {
        return burstFrames > 0;
    }

    /** A socket path as DPDK's --vdev argument can carry it; the message names {@code field}. */
    static void checkSocket(String field, Path socket) {
        Objects.requireNonNull(socket, field + ": required");
        if (!socket.isAbsolute() || SOCKET_UNSAFE.matcher(socket.toString()).find() || socket.toString().length() > 107) {
            throw new IllegalArgumentException(field + ": \"" + socket
                    + "\" must be an absolute path of at most 107 characters without ',', '=' or whitespace");
        }
    }

    private static String mac(String field, String value) {
        if (value == null || !MAC.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" is not a MAC address (six hex pairs joined by ':')");
        }
        return value.toLowerCase(java.util.Locale.ROOT);
    }
}
