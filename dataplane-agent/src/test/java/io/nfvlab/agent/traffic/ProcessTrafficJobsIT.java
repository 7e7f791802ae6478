package io.nfvlab.agent.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The agent's traffic jobs with real ping/fping/iperf3 in real namespaces (Mininet's linear,4 built with ip). */
class ProcessTrafficJobsIT {
    private LinearLab lab;
    private PrometheusMeterRegistry registry;
    private ProcessTrafficJobs jobs;

    @BeforeAll
    static void needsRootAndTools() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
        assumeTrue(Programs.installed(Tool.PING) && Programs.installed(Tool.IPERF3), "needs iputils-ping and iperf3");
    }

    @BeforeEach
    void setUp() {
        lab = new LinearLab("tq5j", 4);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        jobs = new ProcessTrafficJobs(registry);
    }

    @AfterEach
    void tearDown() {
        if (jobs != null) {
            jobs.close();
        }
        if (lab != null) {
            lab.close();
            assertThat(lab.leftovers()).isEmpty();
        }
    }

    @Test
    void pingallOnLinear4Receives12Of12WithMininetsSummary() {
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.PINGALL).build(), allPairs());
        assertThat(r.getPhase()).isEqualTo(JobPhase.SUCCEEDED);
        assertThat(r.getResults()).hasSize(12).allMatch(p -> p.getReceived() == 1 && p.getRttAvgMs() != null);
        assertThat(TrafficSummary.pingResults(r.getResults())).isEqualTo("Results: 0% dropped (12/12 received)");

        var samples = PrometheusText.parse(registry.scrape());
        assertThat(PrometheusText.value(samples, "nfvlab_traffic_loss_ratio", Map.of("test", "t", "source", "h1", "destination", "h4"))).isZero();
        assertThat(PrometheusText.value(samples, "nfvlab_traffic_rtt_seconds", Map.of("test", "t", "source", "h4", "destination", "h1"))).isPositive();
        assertThat(PrometheusText.value(samples, "nfvlab_traffic_job_runs_total", Map.of("test", "t", "result", "succeeded"))).isEqualTo(1.0);
    }

    @Test
    void withTheS2S3LinkDownHalfThePairsCannotReachEachOther() {
        lab.switchLinkDown(2);
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.PINGALL).build(), allPairs());
        assertThat(r.getPhase()).isEqualTo(JobPhase.SUCCEEDED);
        // h1,h2 <-> h3,h4: 8 of the 12 ordered pairs are cut; Mininet prints int(66.67)
        assertThat(TrafficSummary.pingResults(r.getResults())).isEqualTo("Results: 66% dropped (4/12 received)");
        assertThat(r.getResults()).filteredOn(p -> p.getReceived() == 1)
                .extracting(p -> p.getSource() + ">" + p.getDestination())
                .containsExactlyInAnyOrder("h1>h2", "h2>h1", "h3>h4", "h4>h3");
    }

    @Test
    void plainPingWithCountAndIntervalReportsRoundTripStatistics() {
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.PING).count(5).intervalSec(0.05).build(), List.of(pair(1, 3)));
        PairResult p = r.getResults().get(0);
        assertThat(p.getSent()).isEqualTo(5);
        assertThat(p.getReceived()).isEqualTo(5);
        assertThat(p.getRttMdevMs()).isNotNull();
    }

    @Test
    void iperfOverA100MbitShapedLinkMeasuresAbout100MbitAndStopsItsServer() {
        lab.shapeTowardsHost(4, 100);
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.IPERF).durationSeconds(3).build(), List.of(pair(1, 4)));
        PairResult p = r.getResults().get(0);
        assertThat(p.getError()).isNull();
        System.out.printf("iperf over 100 Mbit/s tbf: %.1f Mbit/s, %d retransmits%n", p.getBitsPerSecond() / 1e6, p.getRetransmits());
        assertThat(p.getBitsPerSecond() / 1e6).isBetween(90.0, 105.0);
        assertThat(lab.pidsIn(4)).as("iperf3 server stopped after the test").isEmpty();
    }

    @Test
    void iperfudpAt50MbitOnAnUnshapedLinkLosesUnderOnePercent() {
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.IPERFUDP).bandwidthMbps(50.0).durationSeconds(3).build(), List.of(pair(1, 4)));
        PairResult p = r.getResults().get(0);
        System.out.printf("iperfudp 50 Mbit/s: %.1f Mbit/s, loss %.3f %%, jitter %.3f ms%n", p.getBitsPerSecond() / 1e6, p.getLossPercent(), p.getJitterMs());
        assertThat(p.getLossPercent()).isLessThan(1.0);
        assertThat(p.getBitsPerSecond() / 1e6).isBetween(45.0, 51.0);
        assertThat(p.getJitterMs()).isNotNull();
    }

    @Test
    void throughputSearchOnA200MbitShapedLinkFindsTheNoDropRate() {
        lab.shapeTowardsHost(4, 200);
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.THROUGHPUT_SEARCH)
                .search(SearchSpec.builder().minRate(10.0).maxRate(400.0).precision(8.0).trialSeconds(1).build()).build(), List.of(pair(1, 4)));
        assertThat(r.getPhase()).isEqualTo(JobPhase.SUCCEEDED);
        System.out.println("throughput-search over 200 Mbit/s tbf: NDR " + r.getFoundRate() + " Mbit/s after " + r.getTrials().size() + " trials");
        r.getTrials().forEach(t -> System.out.printf("  trial %.1f Mbit/s: received %.1f, loss %.4f %%, %s%n",
                t.getRate(), t.getMeasuredRate(), t.getLossPercent(), t.getPassed() ? "pass" : "fail"));
        assertThat(r.getTrials().get(0).getRate()).isEqualTo(400.0);
        assertThat(r.getTrials().get(0).getPassed()).isFalse();
        assertThat(r.getFoundRate()).isBetween(150.0, 205.0);
        assertThat(lab.pidsIn(4)).isEmpty();
    }

    @Test
    void anUnreachableIperfServerFailsThePairWithIperfsMessage() {
        // the destination's namespace is not given: the job expects a server from another node, and none is there
        JobPair p = pair(1, 4).toBuilder().destinationNetns(null).build();
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.IPERF).durationSeconds(1).build(), List.of(p));
        assertThat(r.getResults().get(0).getError()).contains("Connection refused");
    }

    @Test
    void aServerRoleJobServesTheClientJobOfAnotherNodeStateAndStopsWhenRemoved() {
        // as the operator plans a cross-node iperf: the destination's node runs a server job on the test's port
        JobPair toH4 = pair(1, 4);
        NetworkNodeState serverSide = state("traffictest.default.t.other-" + lab.prefix, TrafficJob.builder().id("default/t/server")
                .runKey("1").role(TrafficJob.Role.SERVER).port(5999).type(TrafficType.IPERF).pairs(List.of(toH4)).build());
        assertThat(jobs.sync(serverSide)).singleElement().extracting(TrafficJobResult::getPhase).isEqualTo(JobPhase.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lab.pidsIn(4).isEmpty());

        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.IPERF).durationSeconds(1).build(),
                List.of(toH4.toBuilder().destinationNetns(null).build()), 5999);
        assertThat(r.getResults().get(0).getError()).isNull();
        assertThat(r.getResults().get(0).getBitsPerSecond()).isPositive();
        assertThat(jobs.sync(serverSide).get(0).getMessage()).isEqualTo("iperf3 listening on port 5999 in " + lab.hostNetns(4));

        serverSide.getSpec().setTrafficJobs(List.of());
        assertThat(jobs.sync(serverSide)).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.pidsIn(4).isEmpty());
    }

    @Test
    void aJobStillRunningAtItsTimeoutSecondsIsKilledWithItsProcessesAndFails() {
        // 2000 echoes 0.1 s apart would take 200 s; the test allows 2
        TrafficTestSpec test = TrafficTestSpec.builder().type(TrafficType.PING).count(2000).intervalSec(0.1).build();
        NetworkNodeState state = state("traffictest.default.t." + lab.prefix, TrafficJob.builder().id("default/t").runKey("1")
                .role(TrafficJob.Role.CLIENT).type(test.getType()).parameters(TrafficKinds.parameters(test))
                .pairs(List.of(pair(1, 4))).timeoutSeconds(2).build());
        long t0 = System.nanoTime();
        assertThat(jobs.sync(state)).singleElement().extracting(TrafficJobResult::getPhase).isEqualTo(JobPhase.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lab.pidsIn(1).isEmpty());

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> jobs.sync(state).get(0).getPhase() != JobPhase.RUNNING);
        TrafficJobResult r = jobs.sync(state).get(0);
        System.out.printf("ping job with timeoutSeconds 2 ended after %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, r.getMessage());
        assertThat(r.getPhase()).isEqualTo(JobPhase.FAILED);
        assertThat(r.getMessage()).isEqualTo("killed at timeoutSeconds (2 s) before the run ended");
        assertThat(r.getResults()).as("no figures of a run cut short").isNull();
        assertThat(r.getCompletionTime()).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.pidsIn(1).isEmpty());
        assertThat(PrometheusText.value(PrometheusText.parse(registry.scrape()), "nfvlab_traffic_job_runs_total",
                Map.of("test", "t", "result", "failed"))).isEqualTo(1.0);
    }

    @Test
    void aJobDuringWhichTheNodesDelayLinesDroppedAtTheByteBoundSaysSo() {
        java.util.concurrent.atomic.AtomicLong drops = new java.util.concurrent.atomic.AtomicLong(100);
        jobs.countNodeDropsFrom(drops::get);
        TrafficTestSpec test = TrafficTestSpec.builder().type(TrafficType.PING).count(10).intervalSec(0.1).build();
        NetworkNodeState state = state("traffictest.default.t." + lab.prefix, TrafficJob.builder().id("default/t").runKey("1")
                .role(TrafficJob.Role.CLIENT).type(test.getType()).parameters(TrafficKinds.parameters(test))
                .pairs(List.of(pair(1, 4))).build());
        jobs.sync(state);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lab.pidsIn(1).isEmpty());
        drops.addAndGet(7);   // as the agent's delay lines would count them meanwhile
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> jobs.sync(state).get(0).getPhase() != JobPhase.RUNNING);
        TrafficJobResult r = jobs.sync(state).get(0);
        assertThat(r.getPhase()).isEqualTo(JobPhase.SUCCEEDED);
        assertThat(r.getMessage()).contains("the delay lines on this node dropped 7 frames at the agent's byte bound while this job ran")
                .contains("some of the loss may be this node's, not the emulated links'");

        // and a job during which none were dropped says nothing of the kind
        NetworkNodeState quiet = state("traffictest.default.t." + lab.prefix, TrafficJob.builder().id("default/t").runKey("2")
                .role(TrafficJob.Role.CLIENT).type(test.getType()).parameters(TrafficKinds.parameters(test))
                .pairs(List.of(pair(1, 4))).build());
        jobs.sync(quiet);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> jobs.sync(quiet).get(0).getPhase() != JobPhase.RUNNING);
        assertThat(String.valueOf(jobs.sync(quiet).get(0).getMessage())).doesNotContain("byte bound");
    }

    @Test
    void aServerJobIsStoppedAtItsTimeoutSeconds() {
        NetworkNodeState serverSide = state("traffictest.default.t.other-" + lab.prefix, TrafficJob.builder().id("default/t/server")
                .runKey("1").role(TrafficJob.Role.SERVER).port(5998).type(TrafficType.IPERF).pairs(List.of(pair(1, 4)))
                .timeoutSeconds(2).build());
        assertThat(jobs.sync(serverSide)).singleElement().extracting(TrafficJobResult::getPhase).isEqualTo(JobPhase.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> !lab.pidsIn(4).isEmpty());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> jobs.sync(serverSide).get(0).getPhase() == JobPhase.FAILED);
        assertThat(jobs.sync(serverSide).get(0).getMessage()).isEqualTo("servers stopped at timeoutSeconds (2 s) before the run ended");
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.pidsIn(4).isEmpty());
    }

    @Test
    void testpmdWithoutADpdkRunnerFailsSayingSo() {
        TrafficJobResult r = run(TrafficTestSpec.builder().type(TrafficType.TESTPMD).build(), List.of());
        assertThat(r.getPhase()).isEqualTo(JobPhase.FAILED);
        assertThat(r.getMessage()).contains("testpmd traffic is not available");
    }

    private JobPair pair(int from, int to) {
        return JobPair.builder().source("h" + from).sourceNetns(lab.hostNetns(from)).destination("h" + to)
                .destinationAddress(LinearLab.address(to)).destinationNetns(lab.hostNetns(to)).build();
    }

    private List<JobPair> allPairs() {
        List<JobPair> pairs = new ArrayList<>();
        for (int i = 1; i <= lab.k; i++) {
            for (int j = 1; j <= lab.k; j++) {
                if (i != j) {
                    pairs.add(pair(i, j));
                }
            }
        }
        return pairs;
    }

    private NetworkNodeState state(String name, TrafficJob job) {
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName(name).build());
        state.setSpec(NetworkNodeStateSpec.builder().nodeName("local")
                .owner(OwnerRef.builder().kind("TrafficTest").namespace("default").name("t").token(lab.prefix).build())
                .trafficJob(job)
                .build());
        return state;
    }

    private TrafficJobResult run(TrafficTestSpec test, List<JobPair> pairs) {
        return run(test, pairs, null);
    }

    private TrafficJobResult run(TrafficTestSpec test, List<JobPair> pairs, Integer port) {
        NetworkNodeState state = state("traffictest.default.t." + lab.prefix,
                TrafficJob.builder().id("default/t").runKey("1").role(TrafficJob.Role.CLIENT).port(port).type(test.getType()).parameters(TrafficKinds.parameters(test)).pairs(pairs).build());
        // a job that cannot run (no testpmd runner) may already have failed when sync returns
        assertThat(jobs.sync(state)).singleElement().extracting(TrafficJobResult::getPhase).isIn(JobPhase.RUNNING, JobPhase.FAILED);
        List<TrafficJobResult> last = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.clear();
            last.addAll(jobs.sync(state));
            return last.get(0).getPhase() != JobPhase.RUNNING;
        });
        return last.get(0);
    }
}
