package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateStatus;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficOutcomeTest {
    private static final TrafficJob JOB = TrafficJob.builder().id("default/t").runKey("g1--1").role(TrafficJob.Role.CLIENT).build();

    private static Optional<TrafficOutcome> outcome(TrafficTestSpec spec, TrafficJobResult result) {
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("s").build());
        state.setStatus(NetworkNodeStateStatus.builder().trafficResults(result == null ? null : List.of(result)).build());
        return TrafficOutcome.collect(spec, Map.of("node-a", List.of(JOB)), Map.of("node-a", state));
    }

    private static TrafficJobResult done(PairResult... results) {
        return TrafficJobResult.builder().id("default/t").runKey("g1--1").phase(JobPhase.SUCCEEDED).results(List.of(results)).build();
    }

    private static PairResult ping(String s, String d, long received, double rtt) {
        return PairResult.builder().source(s).destination(d).sent(1L).received(received).lossPercent(received == 1 ? 0.0 : 100.0)
                .rttAvgMs(received == 1 ? rtt : null).build();
    }

    @Test
    void rfc2544RowsReachTheOutcomeAndAFrameSizeWithoutRateFailsTheTest() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.RFC2544).build();
        var found = io.nfvlab.api.traffic.Rfc2544Row.builder().frameSize("64").ndrMpps(1.0).pdrMpps(1.1).build();
        TrafficOutcome ok = outcome(spec, done().toBuilder().rfc2544(List.of(found)).build()).orElseThrow();
        assertThat(ok.phase()).isEqualTo(Phase.SUCCEEDED);
        assertThat(ok.rfc2544()).containsExactly(found);
        assertThat(ok.summary()).isEqualTo("Results: 64 B: NDR 1.0000 Mpps PDR 1.1000 Mpps");

        var none = io.nfvlab.api.traffic.Rfc2544Row.builder().frameSize("1518").error("NDR: no rate").build();
        TrafficOutcome failed = outcome(spec, done().toBuilder().rfc2544(List.of(found, none)).build()).orElseThrow();
        assertThat(failed.phase()).isEqualTo(Phase.FAILED);
        assertThat(failed.reason()).isEqualTo(TrafficOutcome.NO_RATE_FOUND);
        assertThat(failed.message()).contains("frame size(s) 1518 (NDR: no rate)");
    }

    @Test
    void aRunningJobsProgressIsTheTestsMessage() {
        TrafficJobResult running = TrafficJobResult.builder().id("default/t").runKey("g1--1").phase(JobPhase.RUNNING)
                .message("frame size 64 (1/2): trial 3 at 37 % of line").build();
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("s").build());
        state.setStatus(NetworkNodeStateStatus.builder().trafficResults(List.of(running)).build());
        assertThat(TrafficOutcome.progress(Map.of("node-a", List.of(JOB)), Map.of("node-a", state)))
                .contains("frame size 64 (1/2): trial 3 at 37 % of line");
    }

    @Test
    void waitsWhileTheJobRunsOrBelongsToAnotherRun() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.PINGALL).build();
        assertThat(outcome(spec, null)).isEmpty();
        assertThat(outcome(spec, TrafficJobResult.builder().id("default/t").runKey("g1--1").phase(JobPhase.RUNNING).build())).isEmpty();
        assertThat(outcome(spec, done(ping("h1", "h2", 1, 0.1)).toBuilder().runKey("g0--1").build())).isEmpty();
    }

    @Test
    void maxRttNamesThePairAndTheCriterion() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.PINGPAIR).passCriteria(PassCriteria.builder().maxRttMs(1.0).build()).build();
        TrafficOutcome o = outcome(spec, done(ping("h1", "h2", 1, 0.2), ping("h2", "h1", 1, 3.5))).orElseThrow();
        assertThat(o.phase()).isEqualTo(Phase.FAILED);
        assertThat(o.reason()).isEqualTo(TrafficOutcome.MAX_RTT);
        assertThat(o.message()).isEqualTo("passCriteria.maxRttMs 1: h2 → h1 averaged 3.5 ms");
        assertThat(o.summary()).isEqualTo("Results: 0% dropped (2/2 received)");
    }

    @Test
    void aJobTheAgentCouldNotRunFailsTheTestWithItsMessage() {
        TrafficOutcome o = outcome(TrafficTestSpec.builder().type(TrafficType.IPERF).build(), TrafficJobResult.builder().id("default/t")
                .runKey("g1--1").phase(JobPhase.FAILED).message("iperf3 is not installed on this node (install the Debian package iperf3)").build()).orElseThrow();
        assertThat(o.reason()).isEqualTo(TrafficOutcome.JOB_FAILED);
        assertThat(o.message()).isEqualTo("node node-a: iperf3 is not installed on this node (install the Debian package iperf3)");
    }

    @Test
    void anIperfPairWithoutMeasurementFailsThePair() {
        TrafficOutcome o = outcome(TrafficTestSpec.builder().type(TrafficType.IPERF).build(),
                done(PairResult.builder().source("h1").destination("h4").error("iperf3: unable to connect to server: Connection refused").build())).orElseThrow();
        assertThat(o.reason()).isEqualTo(TrafficOutcome.PAIR_FAILED);
        assertThat(o.message()).isEqualTo("h1 → h4: iperf3: unable to connect to server: Connection refused");
    }

    @Test
    void udpSummaryAndLossCriterion() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.IPERFUDP).passCriteria(PassCriteria.builder().maxLossPercent(1.0).build()).build();
        TrafficOutcome o = outcome(spec, done(PairResult.builder().source("h1").destination("h2").bitsPerSecond(49.95e6).lossPercent(2.5).jitterMs(0.012).build())).orElseThrow();
        assertThat(o.summary()).isEqualTo("Results: 50.0 Mbits/sec, 2.50% lost, jitter 0.012 ms (h1 → h2)");
        assertThat(o.reason()).isEqualTo(TrafficOutcome.MAX_LOSS);
        assertThat(o.message()).isEqualTo("passCriteria.maxLossPercent 1: h1 → h2 lost 2.5%");
    }

    @Test
    void searchReportsTheRateAndJudgesItAgainstMinThroughput() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.THROUGHPUT_SEARCH)
                .passCriteria(PassCriteria.builder().minThroughputMbps(190.0).build()).build();
        TrafficJobResult r = done(PairResult.builder().source("h1").destination("h2").bitsPerSecond(180e6).build()).toBuilder()
                .trials(List.of(Trial.builder().rate(400.0).passed(false).build(), Trial.builder().rate(180.0).passed(true).build())).foundRate(180.0).build();
        TrafficOutcome o = outcome(spec, r).orElseThrow();
        assertThat(o.summary()).isEqualTo("Results: NDR 180 Mbit/s after 2 trials (h1 → h2)");
        assertThat(o.reason()).isEqualTo(TrafficOutcome.MIN_THROUGHPUT);
        assertThat(o.message()).isEqualTo("passCriteria.minThroughputMbps 190: the search found 180 Mbit/s");

        TrafficTestSpec pdr = spec.toBuilder().passCriteria(null).search(SearchSpec.builder().lossThresholdPercent(0.5).build()).build();
        assertThat(outcome(pdr, r).orElseThrow().summary()).startsWith("Results: PDR (0.5% loss) 180 Mbit/s");
        TrafficOutcome none = outcome(pdr, r.toBuilder().foundRate(null).build()).orElseThrow();
        assertThat(none.reason()).isEqualTo(TrafficOutcome.NO_RATE_FOUND);
    }

    @Test
    void aLargePingallKeepsTheLossyPairsInStatus() {
        List<PairResult> many = new java.util.ArrayList<>();
        for (int i = 0; i < 4032; i++) {
            many.add(ping("h" + (i % 64 + 1), "h" + (i / 64 + 1), i == 4000 ? 0 : 1, 0.1));
        }
        List<PairResult> shown = TrafficOutcome.forStatus(many);
        assertThat(shown).hasSize(TrafficOutcome.MAX_STATUS_PAIRS);
        assertThat(shown.get(0)).isSameAs(many.get(4000));
        assertThat(TrafficOutcome.forStatus(many.subList(0, 12))).hasSize(12);
    }

    @Test
    void theSummaryCountsEveryPairWhenAgentsSentTotalsBesideAFewPairs() {
        TrafficJobResult aggregated = TrafficJobResult.builder().id("default/t").runKey("g1--1").phase(JobPhase.SUCCEEDED)
                .pairCount(9_900L).sent(9_900L).received(9_899L).troubledPairs(1L)
                .results(List.of(ping("h1", "h2", 0, 0), ping("h1", "h3", 1, 0.1))).build();
        TrafficOutcome o = outcome(TrafficTestSpec.builder().type(TrafficType.PINGALL).build(), aggregated).orElseThrow();
        assertThat(o.summary()).isEqualTo("Results: 0% dropped (9899/9900 received)");
    }
}
