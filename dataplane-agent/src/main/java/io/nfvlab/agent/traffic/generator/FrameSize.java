package io.nfvlab.agent.traffic.generator;

import java.util.List;

/**
 * The frames nfvlab-gen sends: one fixed size, or the simple IMIX of 7×64, 4×570 and 1×1518 bytes (sent in that
 * repeating pattern of twelve). A size counts the bytes of the frame as handed to the vhost-user port, as
 * {@code dpdk-testpmd --txpkts} does; line-rate arithmetic adds the 20 bytes of preamble and inter-frame gap.
 */
public sealed interface FrameSize {
    int MIN_BYTES = 64;
    int MAX_BYTES = 9000;
    /** The IMIX pattern, in the order nfvlab-gen sends it. */
    List<Integer> IMIX_PATTERN = List.of(64, 64, 64, 64, 64, 64, 64, 570, 570, 570, 570, 1518);

    /** The mean frame size in bytes. */
    double averageBytes();

    /** The form nfvlab-gen's {@code --frame-size} and {@link #parse} take: "64" or "IMIX". */
    @Override
    String toString();

    static FrameSize fixed(int bytes) {
        return new Fixed(bytes);
    }

    static FrameSize imix() {
        return Imix.INSTANCE;
    }

    /**
     * "64".."9000" or "IMIX" (any case).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    static FrameSize parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("frameSize: empty; a size in bytes (64 to 9000) or IMIX");
        }
        String t = text.strip();
        if (t.equalsIgnoreCase("imix")) {
            return imix();
        }
        if (!t.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException("frameSize: \"" + text + "\" is neither a size in bytes (64 to 9000) nor IMIX");
        }
        return fixed(Integer.parseInt(t));
    }

    record Fixed(int bytes) implements FrameSize {
        public Fixed {
            if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
                throw new IllegalArgumentException("frameSize: " + bytes + " bytes is outside 64 to 9000");
            }
        }

        @Override
        public double averageBytes() {
            return bytes;
        }

        @Override
        public String toString() {
            return String.valueOf(bytes);
        }
    }

    final class Imix implements FrameSize {
        static final Imix INSTANCE = new Imix();

        private Imix() {
        }

        @Override
        public double averageBytes() {
            return IMIX_PATTERN.stream().mapToInt(Integer::intValue).average().orElseThrow();
        }

        @Override
        public String toString() {
            return "IMIX";
        }
    }
}
