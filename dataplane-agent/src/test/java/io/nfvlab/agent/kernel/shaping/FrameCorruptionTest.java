package io.nfvlab.agent.kernel.shaping;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameCorruptionTest {
    /** A vnet header, an Ethernet header and a 28-byte IPv4/UDP header with 4 bytes of payload. */
    private static byte[] udpFrame(boolean needsCsum) {
        byte[] f = new byte[10 + 14 + 20 + 8 + 4];
        if (needsCsum) {
            f[0] = 1;
            f[6] = 34; // csum_start: after Ethernet (14) and IPv4 (20)
            f[8] = 6;  // csum_offset: UDP's checksum field
        }
        f[10 + 12] = 0x08; // IPv4
        int udp = 10 + 34;
        f[udp + 5] = 12; // length
        f[udp + 8] = 'a';
        f[udp + 9] = 'b';
        f[udp + 10] = 'c';
        f[udp + 11] = 'd';
        return f;
    }

    @Test
    void flipsExactlyTheChosenBitAfterTheEthernetHeader() {
        byte[] f = udpFrame(false);
        byte[] before = f.clone();
        assertThat(FrameCorruption.flip(f, f.length, 8 * 30 + 3)).isTrue();
        for (int i = 0; i < f.length; i++) {
            assertThat(f[i]).as("byte %d", i).isEqualTo(i == 10 + 14 + 30 ? (byte) (before[i] ^ 8) : before[i]);
        }
    }

    @Test
    void aChecksumLeftToTheDeviceIsCompletedBeforeTheFlipSoTheReceiverSeesIt() {
        byte[] f = udpFrame(true);
        assertThat(FrameCorruption.completeChecksum(f, f.length)).isTrue();
        assertThat(f[0] & 1).isZero();
        // summing the covered bytes with the written checksum gives 0xffff: what a receiver checks
        long sum = 0;
        for (int i = 10 + 34; i < f.length; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        assertThat(sum).isEqualTo(0xffff);
    }

    @Test
    void gsoFramesAndBitsPastTheEndAreLeftAlone() {
        byte[] gso = udpFrame(false);
        gso[1] = 1;
        byte[] before = gso.clone();
        assertThat(FrameCorruption.flip(gso, gso.length, 0)).isFalse();
        assertThat(gso).isEqualTo(before);
        byte[] f = udpFrame(false);
        assertThat(FrameCorruption.flip(f, f.length, 8 * 1000)).isFalse();
    }
}
