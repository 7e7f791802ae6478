package io.nfvlab.api.traffic;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Frame sizes of an rfc2544 test and the rates RFC 2544 derives from them. A frame counts from the destination MAC
 * to the FCS; on the wire each also takes 20 bytes of preamble and inter-frame gap, which the line rate includes.
 */
public final class Rfc2544Frames {
    public static final int MIN_FRAME = 64;
    /** The largest frame the model accepts (a 9000-byte MTU); the link's MTU bounds it further. */
    public static final int MAX_FRAME = 9018;
    /** Preamble (8) + inter-frame gap (12). */
    public static final int WIRE_OVERHEAD = 20;
    /** Ethernet header (14) + FCS (4): a frame of MTU + 18 bytes fits the link. */
    public static final int ETHERNET_OVERHEAD = 18;
    /** The simple IMIX: 7 × 64, 4 × 570, 1 × 1518 bytes. */
    public static final List<Integer> IMIX_SIZES = List.of(64, 64, 64, 64, 64, 64, 64, 570, 570, 570, 570, 1518);

    private Rfc2544Frames() {
    }

    /** The bytes of a fixed frame size, or empty for IMIX; refuses anything else. */
    public static Optional<Integer> fixedBytes(String frameSize) {
        if (Rfc2544Spec.IMIX.equals(frameSize)) {
            return Optional.empty();
        }
        if (frameSize == null || !frameSize.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("frame size must be a number of bytes or IMIX, got \"" + frameSize + "\"");
        }
        return Optional.of(Integer.parseInt(frameSize));
    }

    /** Average frame size in bytes (IMIX: 353.83). */
    public static double averageBytes(String frameSize) {
        return fixedBytes(frameSize).map(Integer::doubleValue)
                .orElseGet(() -> IMIX_SIZES.stream().mapToInt(Integer::intValue).average().orElseThrow());
    }

    /** The largest frame of the size (IMIX: 1518), which has to fit the MTU. */
    public static int largestBytes(String frameSize) {
        return fixedBytes(frameSize).orElse(1518);
    }

    /** Frames per second at line rate. */
    public static double lineFps(String frameSize, double lineRateGbps) {
        return lineRateGbps * 1e9 / ((averageBytes(frameSize) + WIRE_OVERHEAD) * 8);
    }

    /** Frames per second as Gbit/s on the wire (frames + preamble + gap). */
    public static double wireGbps(String frameSize, double fps) {
        return fps * (averageBytes(frameSize) + WIRE_OVERHEAD) * 8 / 1e9;
    }

    /** "64" or "IMIX" as a label; numbers are printed as given. */
    public static String label(String frameSize) {
        return frameSize.toUpperCase(Locale.ROOT);
    }
}
