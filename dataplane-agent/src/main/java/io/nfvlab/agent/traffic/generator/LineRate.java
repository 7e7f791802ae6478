package io.nfvlab.agent.traffic.generator;

/**
 * Frames per second that fill a link, counted as RFC 2544 counts them: each frame occupies its own bytes plus 20
 * bytes of preamble, start delimiter and inter-frame gap on the wire (64-byte frames at 10 Gbit/s: 14.88 Mpps).
 */
public final class LineRate {
    /** Preamble (7) + start-of-frame delimiter (1) + inter-frame gap (12). */
    public static final int WIRE_OVERHEAD_BYTES = 20;

    private LineRate() {
    }

    /** Frames per second of this size at {@code gbps} Gbit/s; IMIX uses its mean size. */
    public static double framesPerSecond(double gbps, FrameSize size) {
        if (!(gbps > 0) || Double.isInfinite(gbps)) {
            throw new IllegalArgumentException("lineRate: " + gbps + " Gbit/s is not a positive rate");
        }
        return gbps * 1e9 / ((size.averageBytes() + WIRE_OVERHEAD_BYTES) * 8);
    }

    /** The Gbit/s on the wire that {@code pps} frames of this size take (the inverse of {@link #framesPerSecond}). */
    public static double gbps(double pps, FrameSize size) {
        return pps * (size.averageBytes() + WIRE_OVERHEAD_BYTES) * 8 / 1e9;
    }
}
