package io.nfvlab.agent.kernel.shaping;

/**
 * Flips one bit of a frame as a delay line holds it: a 10-byte virtio-net header (the packet socket's), then the
 * Ethernet frame. A frame whose checksum the sender left to the device (flag NEEDS_CSUM) gets its checksum completed
 * first and the flag cleared, so the receiver checks it and sees the corruption, as netem does with
 * {@code skb_checksum_help}. A GSO super-frame is left alone: its segments' checksums would be computed over the
 * flipped bit and hide it; links with corruption have their offloads off, so none should arrive.
 */
public final class FrameCorruption {
    static final int VNET_HEADER = 10;
    private static final int ETHERNET_HEADER = 14;
    private static final int NEEDS_CSUM = 1;

    private FrameCorruption() {
    }

    /**
     * Flips {@code bit} (counted from the end of the Ethernet header) of the frame in {@code buf[0, length)}.
     *
     * @return false when the frame was left alone (a GSO frame, or the bit lies past its end)
     */
    public static boolean flip(byte[] buf, int length, int bit) {
        if (length < VNET_HEADER + ETHERNET_HEADER || buf[1] != 0) {
            return false;
        }
        int at = VNET_HEADER + ETHERNET_HEADER + bit / 8;
        if (bit < 0 || at >= length) {
            return false;
        }
        if ((buf[0] & NEEDS_CSUM) != 0 && !completeChecksum(buf, length)) {
            return false;
        }
        buf[at] ^= (byte) (1 << (bit % 8));
        return true;
    }

    /** Writes the Internet checksum the device would have written (virtio csum_start/csum_offset) and clears NEEDS_CSUM. */
    static boolean completeChecksum(byte[] buf, int length) {
        int start = VNET_HEADER + u16le(buf, 6);
        int field = start + u16le(buf, 8);
        if (field + 2 > length) {
            return false;
        }
        long sum = 0;
        for (int i = start; i < length; i += 2) {
            int hi = buf[i] & 0xff;
            int lo = i + 1 < length ? buf[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int check = (int) (~sum & 0xffff);
        // UDP sends an all-zero result as 0xffff (zero means "no checksum"); for TCP the two are the same value
        if (check == 0) {
            check = 0xffff;
        }
        buf[field] = (byte) (check >> 8);
        buf[field + 1] = (byte) check;
        buf[0] &= (byte) ~NEEDS_CSUM;
        return true;
    }

    private static int u16le(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }
}
