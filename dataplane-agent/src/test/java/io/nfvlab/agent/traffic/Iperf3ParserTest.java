package io.nfvlab.agent.traffic;

import io.nfvlab.api.traffic.PairResult;
import org.junit.jupiter.api.Test;

import static io.nfvlab.agent.traffic.PingParserTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code iperf3 -J} outputs captured from iperf 3.12 between two namespaces. */
class Iperf3ParserTest {

    @Test
    void tcpTakesTheReceiversRateAndTheSendersRetransmits() {
        PairResult r = Iperf3Parser.parse(fixture("iperf-tcp.json"), false);
        assertThat(r.getBitsPerSecond()).isCloseTo(13358601162.16, within(1.0));
        assertThat(r.getRetransmits()).isEqualTo(293);
        assertThat(r.getJitterMs()).isNull();
    }

    @Test
    void udpWithoutLoss() {
        PairResult r = Iperf3Parser.parse(fixture("iperf-udp.json"), true);
        assertThat(r.getBitsPerSecond()).isCloseTo(49951801.64, within(1.0));
        assertThat(r.getLossPercent()).isZero();
        assertThat(r.getSent()).isEqualTo(4313);
        assertThat(r.getReceived()).isEqualTo(4313);
        assertThat(r.getJitterMs()).isCloseTo(0.01448, within(0.0001));
    }

    @Test
    void udpThroughAShaperReportsTheReceiversLoss() {
        String json = fixture("iperf-udp-loss.json");
        PairResult r = Iperf3Parser.parse(json, true);
        assertThat(r.getLossPercent()).isCloseTo(59.33, within(0.01));
        assertThat(r.getBitsPerSecond()).isCloseTo(19651969.69, within(1.0));
        assertThat(r.getSent()).isEqualTo(4313);
        assertThat(r.getReceived()).isEqualTo(4313 - 2559);
        assertThat(Iperf3Parser.sentBitsPerSecond(json)).isCloseTo(49957395.75, within(1.0));
    }

    @Test
    void anErrorInTheOutputIsReportedInIperfsWords() {
        assertThatThrownBy(() -> Iperf3Parser.parse(fixture("iperf-refused.json"), false))
                .isInstanceOf(TrafficJobException.class)
                .hasMessage("iperf3: unable to connect to server: Connection refused");
    }

    @Test
    void textInsteadOfJsonIsAnError() {
        assertThatThrownBy(() -> Iperf3Parser.parse("iperf3: error - some text", true))
                .isInstanceOf(TrafficJobException.class)
                .hasMessageStartingWith("iperf3 printed no JSON");
    }
}
