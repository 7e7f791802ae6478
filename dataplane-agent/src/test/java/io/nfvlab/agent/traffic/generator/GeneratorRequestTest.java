package io.nfvlab.agent.traffic.generator;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeneratorRequestTest {
    static final Path SOCK = Path.of("/var/run/nfvlab/dpdk/br0/br0a.sock");
    static final String A = "02:00:00:00:00:01";
    static final String B = "02:00:00:00:00:02";

    static GeneratorRequest request(Path socket, String src, String dst, double pps, Duration d, long burst, Duration drain) {
        return new GeneratorRequest(socket, src, dst, FrameSize.fixed(64), pps, d, burst, drain);
    }

    @Test
    void pacedRequestKeepsItsValuesAndDefaultsTheDrainWait() {
        GeneratorRequest r = GeneratorRequest.paced(SOCK, "02:AA:00:00:00:01", B, FrameSize.imix(), 1e5, Duration.ofSeconds(2));
        assertThat(r.srcMac()).isEqualTo("02:aa:00:00:00:01");
        assertThat(r.drainWait()).isEqualTo(GeneratorRequest.DEFAULT_DRAIN_WAIT);
        assertThat(r.isBurst()).isFalse();
    }

    @Test
    void burstRequestNeedsNoRateNorDuration() {
        GeneratorRequest r = GeneratorRequest.burst(SOCK, A, B, FrameSize.fixed(1518), 10_000);
        assertThat(r.isBurst()).isTrue();
        assertThat(r.duration()).isNull();
        assertThatThrownBy(() -> GeneratorRequest.burst(SOCK, A, B, FrameSize.fixed(64), 0)).hasMessageStartingWith("burstFrames:");
    }

    @Test
    void eachBadValueIsRefusedNamingItsField() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> request(Path.of("rel.sock"), A, B, 1e5, s, 0, null)).hasMessageStartingWith("vhostSocket:");
        assertThatThrownBy(() -> request(Path.of("/tmp/a,server=0"), A, B, 1e5, s, 0, null)).hasMessageStartingWith("vhostSocket:");
        assertThatThrownBy(() -> request(Path.of("/tmp/a b"), A, B, 1e5, s, 0, null)).hasMessageStartingWith("vhostSocket:");
        assertThatThrownBy(() -> request(Path.of("/" + "x".repeat(120)), A, B, 1e5, s, 0, null)).hasMessageStartingWith("vhostSocket:");
        assertThatThrownBy(() -> request(null, A, B, 1e5, s, 0, null)).hasMessageStartingWith("vhostSocket:");
        assertThatThrownBy(() -> request(SOCK, "02:00:00:00:00", B, 1e5, s, 0, null)).hasMessageStartingWith("srcMac:");
        assertThatThrownBy(() -> request(SOCK, "01:00:5e:00:00:01", B, 1e5, s, 0, null)).hasMessageContaining("multicast");
        assertThatThrownBy(() -> request(SOCK, A, "--help", 1e5, s, 0, null)).hasMessageStartingWith("dstMac:");
        assertThatThrownBy(() -> request(SOCK, A, B, 0, s, 0, null)).hasMessageStartingWith("ratePps:");
        assertThatThrownBy(() -> request(SOCK, A, B, Double.NaN, s, 0, null)).hasMessageStartingWith("ratePps:");
        assertThatThrownBy(() -> request(SOCK, A, B, 2e8, s, 0, null)).hasMessageStartingWith("ratePps:");
        assertThatThrownBy(() -> request(SOCK, A, B, -1, null, 5, null)).hasMessageStartingWith("ratePps:");
        assertThatThrownBy(() -> request(SOCK, A, B, 1e5, null, 0, null)).hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> request(SOCK, A, B, 1e5, Duration.ZERO, 0, null)).hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> request(SOCK, A, B, 1e5, Duration.ofNanos(10), 0, null)).hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> request(SOCK, A, B, 1e5, Duration.ofHours(2), 0, null)).hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> request(SOCK, A, B, 1e5, s, -1, null)).hasMessageStartingWith("burstFrames:");
        assertThatThrownBy(() -> request(SOCK, A, B, 1e5, s, 0, Duration.ofMinutes(2))).hasMessageStartingWith("drainWait:");
        assertThatThrownBy(() -> request(SOCK, A, B, 1e5, s, 0, Duration.ofMillis(-1))).hasMessageStartingWith("drainWait:");
        assertThatThrownBy(() -> new GeneratorRequest(SOCK, A, B, null, 1e5, s, 0, null)).hasMessageStartingWith("frameSize:");
    }
}
