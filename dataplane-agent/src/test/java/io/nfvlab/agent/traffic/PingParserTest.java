package io.nfvlab.agent.traffic;

import io.nfvlab.api.traffic.PairResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Outputs captured from iputils ping 20221126 and fping 5.1 on Debian 12 (LC_ALL=C). */
class PingParserTest {

    static String fixture(String name) {
        try (InputStream in = PingParserTest.class.getResourceAsStream("/traffic/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void threeRepliesGiveCountsAndRoundTripTimes() {
        PairResult r = PingParser.ping(fixture("ping-ok.txt"));
        assertThat(r.getSent()).isEqualTo(3);
        assertThat(r.getReceived()).isEqualTo(3);
        assertThat(r.getLossPercent()).isZero();
        assertThat(r.getRttMinMs()).isEqualTo(0.043);
        assertThat(r.getRttAvgMs()).isEqualTo(0.055);
        assertThat(r.getRttMaxMs()).isEqualTo(0.063);
        assertThat(r.getRttMdevMs()).isEqualTo(0.008);
    }

    @Test
    void noReplyIsAllLostWithoutRoundTripTimes() {
        PairResult r = PingParser.ping(fixture("ping-lost.txt"));
        assertThat(r.getSent()).isEqualTo(1);
        assertThat(r.getReceived()).isZero();
        assertThat(r.getLossPercent()).isEqualTo(100.0);
        assertThat(r.getRttAvgMs()).isNull();
    }

    @Test
    void unreachableNetworkHasNoStatistics() {
        assertThatThrownBy(() -> PingParser.ping(fixture("ping-unreachable.txt")))
                .isInstanceOf(TrafficJobException.class)
                .hasMessageContaining("Network is unreachable");
    }

    @Test
    void fpingSummaryLinesAreKeyedByTarget() {
        Map<String, PairResult> r = PingParser.fping(fixture("fping-mixed.txt"));
        assertThat(r).containsOnlyKeys("10.99.0.2", "10.99.0.9", "10.99.0.1");
        assertThat(r.get("10.99.0.2").getReceived()).isEqualTo(2);
        assertThat(r.get("10.99.0.2").getRttAvgMs()).isEqualTo(0.075);
        assertThat(r.get("10.99.0.9").getSent()).isEqualTo(2);
        assertThat(r.get("10.99.0.9").getReceived()).isZero();
        assertThat(r.get("10.99.0.9").getLossPercent()).isEqualTo(100.0);
        assertThat(r.get("10.99.0.9").getRttAvgMs()).isNull();
    }
}
