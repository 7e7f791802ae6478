package io.nfvlab.cli.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficPrinterTest {
    private static final List<String> HOSTS = List.of("h1", "h2", "h3");

    @Test
    void pingallPrintsMininetLinesWithXForLostPairsAndTheResultsLine() {
        List<PairResult> results = new ArrayList<>();
        for (String s : HOSTS) {
            for (String d : HOSTS) {
                if (!s.equals(d)) {
                    boolean lost = s.equals("h1") && d.equals("h3") || s.equals("h3") && d.equals("h1");
                    results.add(PairResult.builder().source(s).destination(d).sent(1L).received(lost ? 0L : 1L).build());
                }
            }
        }
        TrafficTest t = test(TrafficType.PINGALL, TrafficTestStatus.Phase.FAILED, results, null);
        String text = TrafficPrinter.body(t, HOSTS, Duration.ofMillis(1234));
        assertThat(text).contains("h1 -> h2 X\n", "h2 -> h1 h3\n", "h3 -> X h2\n")
                .contains("*** Results: 33% dropped (4/6 received)\n")
                .contains("completed in 1.23 seconds");
        assertThat(TrafficPrinter.header(t.getSpec(), HOSTS)).isEqualTo("*** Ping: testing ping reachability");
    }

    @Test
    void theOperatorsSummaryWinsWhenItIsAResultsLine() {
        List<PairResult> results = List.of(PairResult.builder().source("h1").destination("h2").sent(1L).received(1L).build());
        TrafficTest t = test(TrafficType.PINGPAIR, TrafficTestStatus.Phase.SUCCEEDED, results, "Results: 0% dropped (2/2 received)");
        assertThat(TrafficPrinter.body(t, HOSTS, Duration.ZERO)).contains("*** Results: 0% dropped (2/2 received)");
    }

    @Test
    void aPassAfterRetriesSaysOnWhichAttempt() {
        List<PairResult> results = List.of(PairResult.builder().source("h1").destination("h2").sent(1L).received(1L).build());
        TrafficTest t = test(TrafficType.PINGALL, TrafficTestStatus.Phase.SUCCEEDED, results, null);
        t.getSpec().setRetry(io.nfvlab.api.traffic.RetrySpec.builder().attempts(30).build());
        t.getStatus().setAttempt(4);
        assertThat(TrafficPrinter.body(t, HOSTS, Duration.ZERO)).contains("*** Passed on attempt 4 of 30\n");
        t.getSpec().setRetry(null);
        assertThat(TrafficPrinter.body(t, HOSTS, Duration.ZERO)).doesNotContain("attempt");
    }

    @Test
    void iperfPrintsTheRateAndTheHeaderNamesMininetsDefaultPair() {
        List<PairResult> results = List.of(PairResult.builder().source("h1").destination("h3").bitsPerSecond(2.345e10).build());
        TrafficTest t = test(TrafficType.IPERF, TrafficTestStatus.Phase.SUCCEEDED, results, null);
        assertThat(TrafficPrinter.header(t.getSpec(), HOSTS)).isEqualTo("*** Iperf: testing TCP bandwidth between h1 and h3");
        assertThat(TrafficPrinter.body(t, HOSTS, Duration.ofSeconds(5))).contains("*** Results: ['23.45 Gbits/sec']");
    }

    @Test
    void iperfudpShowsTheTargetRateLossAndJitter() {
        List<PairResult> results = List.of(PairResult.builder().source("h1").destination("h3").bitsPerSecond(9.9e6)
                .lossPercent(0.5).jitterMs(0.012).build());
        TrafficTest t = test(TrafficType.IPERFUDP, TrafficTestStatus.Phase.SUCCEEDED, results, null);
        t.getSpec().setBandwidthMbps(10.0);
        assertThat(TrafficPrinter.body(t, HOSTS, Duration.ZERO)).contains("*** Results: ['10M', '9.9 Mbits/sec'] loss 0.50% jitter 0.012 ms");
    }

    @Test
    void aFailedTestSaysWhyInOneLine() {
        TrafficTest t = test(TrafficType.IPERF, TrafficTestStatus.Phase.FAILED, List.of(), "x");
        t.getStatus().setMessage("iperf3 failed:\nconnection refused");
        assertThat(TrafficPrinter.body(t, HOSTS, Duration.ZERO)).contains("*** Failed: iperf3 failed: connection refused\n");
    }

    private static TrafficTest test(TrafficType type, TrafficTestStatus.Phase phase, List<PairResult> results, String summary) {
        TrafficTest t = new TrafficTest();
        t.setMetadata(new ObjectMetaBuilder().withName("t1").withNamespace("default").build());
        t.setSpec(TrafficTestSpec.builder().type(type).build());
        t.setStatus(TrafficTestStatus.builder().phase(phase).results(results).summary(summary).build());
        return t;
    }
}
