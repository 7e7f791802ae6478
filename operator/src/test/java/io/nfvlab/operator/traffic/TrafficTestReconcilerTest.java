package io.nfvlab.operator.traffic;

import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.RetrySpec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TrafficTest reconciler against the in-process API server, next to the real topology reconciler; one real agent
 * with its in-memory dataplane, whose traffic jobs are answered from a script (ScriptedTrafficJobs).
 */
class TrafficTestReconcilerTest {
    static final String NS = "default";
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private Agent agent;
    private final ScriptedTrafficJobs jobs = new ScriptedTrafficJobs();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName("node-a").embedded(true)
                .dataplane(new FakeDataplane()).trafficJobs(jobs)
                .resyncInterval(Duration.ofSeconds(2)).trafficPollInterval(Duration.ofMillis(200)).build());
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    @Test
    void pingallOnLinear4SucceedsWithMininetsSummaryAndPlansOneNodeState() {
        admin.resource(topology("lin4", "linear,4")).create();
        admin.resource(test("pa", TrafficTestSpec.builder().type(TrafficType.PINGALL))).create();

        TrafficTest done = awaitPhase("pa", Phase.SUCCEEDED);
        assertThat(done.getStatus().getSummary()).isEqualTo("Results: 0% dropped (12/12 received)");
        assertThat(done.getStatus().getResults()).hasSize(12);
        assertThat(done.getStatus().getRuns()).isEqualTo(1);
        assertThat(done.getStatus().getStartTime()).isNotNull();
        assertThat(done.getStatus().getCompletionTime()).isNotNull();
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), TrafficTestReconciler.COMPLETED)).isTrue();
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), TrafficTestReconciler.PASSED)).isTrue();
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), Conditions.READY)).isTrue();
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), Conditions.RECONCILING)).isFalse();
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), Conditions.STALLED)).isFalse();

        NetworkNodeState state = admin.resources(NetworkNodeState.class)
                .withName(KernelNames.nodeStateName("TrafficTest", NS, "pa", "node-a")).get();
        assertThat(state.getMetadata().getLabels()).containsEntry(Nfvlab.NODE_LABEL, "node-a")
                .containsEntry(Nfvlab.OWNER_KIND_LABEL, "TrafficTest").containsEntry(Nfvlab.OWNER_NAME_LABEL, "pa");
        assertThat(state.getSpec().hostsOrEmpty()).isEmpty();
        TrafficJob job = state.getSpec().getTrafficJobs().get(0);
        String token = KernelNames.token("VirtualTopology", NS, "lin4");
        assertThat(job.expandedPairs()).hasSize(12).first().satisfies(p -> {
            assertThat(p.getSource()).isEqualTo("h1");
            assertThat(p.getSourceNetns()).isEqualTo(KernelNames.hostNetns(token, "h1"));
            assertThat(p.getDestination()).isEqualTo("h2");
            assertThat(p.getDestinationAddress()).isEqualTo("10.0.0.2");
        });
        assertThat(job.getRunKey()).isEqualTo(done.getStatus().getRunKey());
        assertThat(job.getTimeoutSeconds()).as("the agent kills the job at the test's default timeout").isEqualTo(300);

        // the same generation does not run again
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> jobs.runsOf("default/pa") == 1);
        assertThat(scrapeCount("succeeded")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void lostPairsFailTheTestByMaxLossPercentNamingTheCriterion() {
        admin.resource(topology("lin4", "linear,4")).create();
        // as if s2-s3 were down: h1,h2 <-> h3,h4 cut
        for (String a : List.of("h1", "h2")) {
            for (String b : List.of("h3", "h4")) {
                jobs.cut.add(a + ">" + b);
                jobs.cut.add(b + ">" + a);
            }
        }
        admin.resource(test("cut", TrafficTestSpec.builder().type(TrafficType.PINGALL)
                .passCriteria(PassCriteria.builder().maxLossPercent(0.0).build()))).create();

        TrafficTest done = awaitPhase("cut", Phase.FAILED);
        assertThat(done.getStatus().getSummary()).isEqualTo("Results: 66% dropped (4/12 received)");
        assertThat(reason(done, TrafficTestReconciler.PASSED)).isEqualTo(TrafficOutcome.MAX_LOSS);
        // a failed verdict is final for kstatus (Flux fails the sync instead of waiting for its timeout)
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), Conditions.STALLED)).isTrue();
        assertThat(reason(done, Conditions.STALLED)).isEqualTo(TrafficOutcome.MAX_LOSS);
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), Conditions.RECONCILING)).isFalse();
        assertThat(done.getStatus().getMessage()).startsWith("passCriteria.maxLossPercent 0: h1 → h3 lost 100%").contains("8 pairs");
        assertThat(scrapeCount("failed")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aFailedAttemptIsRunAgainUnderRetryAndTheStatusNamesTheAttemptThatPassed() {
        admin.resource(topology("lin4", "linear,4")).create();
        jobs.cut.add("h1>h2"); // as if a routing protocol had not converged yet
        admin.resource(test("conv", TrafficTestSpec.builder().type(TrafficType.PINGALL)
                .passCriteria(PassCriteria.builder().maxLossPercent(0.0).build())
                .retry(RetrySpec.builder().attempts(5).delaySeconds(1).build()))).create();

        // the status as the wait saw it: read again, it could already be a later attempt's (each fails at once here)
        TrafficTest retrying = await().atMost(Duration.ofSeconds(30)).until(
                () -> admin.resources(TrafficTest.class).inNamespace(NS).withName("conv").get(),
                t -> t.getStatus() != null && t.getStatus().getAttempt() != null && t.getStatus().getAttempt() >= 2);
        int failed = retrying.getStatus().getAttempt() - 1;
        assertThat(retrying.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(retrying.getStatus().getMessage())
                .startsWith("attempt " + failed + " of 5 failed (passCriteria.maxLossPercent 0: h1 → h2 lost 100%")
                .endsWith("; attempt " + (failed + 1) + " in 1 s");
        jobs.cut.clear();

        TrafficTest done = awaitPhase("conv", Phase.SUCCEEDED);
        assertThat(done.getStatus().getAttempt()).isBetween(2, 5);
        assertThat(done.getStatus().getMessage()).endsWith("(passed on attempt " + done.getStatus().getAttempt() + " of 5)");
        assertThat(done.getStatus().getSummary()).isEqualTo("Results: 0% dropped (12/12 received)");
        assertThat(done.getStatus().getRuns()).as("attempts are one run").isEqualTo(1);
        assertThat(jobs.runsOf("default/conv")).isEqualTo((long) done.getStatus().getAttempt());
    }

    @Test
    void whenEveryAttemptFailsTheTestFailsSayingSo() {
        admin.resource(topology("lin4", "linear,4")).create();
        jobs.cut.add("h1>h2");
        admin.resource(test("never", TrafficTestSpec.builder().type(TrafficType.PINGALL)
                .passCriteria(PassCriteria.builder().maxLossPercent(0.0).build())
                .retry(RetrySpec.builder().attempts(2).delaySeconds(0).build()))).create();

        TrafficTest done = awaitPhase("never", Phase.FAILED);
        assertThat(done.getStatus().getAttempt()).isEqualTo(2);
        assertThat(done.getStatus().getMessage()).endsWith("(failed on attempt 2 of 2)");
        assertThat(jobs.runsOf("default/never")).isEqualTo(2L);
    }

    @Test
    void anUnknownHostFailsWithTheFieldAndIsNotPlanned() {
        admin.resource(topology("lin4", "linear,4")).create();
        admin.resource(test("bad", TrafficTestSpec.builder().type(TrafficType.IPERF).source("h9"))).create();

        TrafficTest done = awaitPhase("bad", Phase.FAILED);
        assertThat(reason(done, TrafficTestReconciler.COMPLETED)).isEqualTo(TrafficTestReconciler.REASON_INVALID_SPEC);
        assertThat(reason(done, Conditions.READY)).isEqualTo(TrafficTestReconciler.REASON_INVALID_SPEC);
        assertThat(done.getStatus().getMessage()).isEqualTo("spec.source: host h9 is not in the topology (hosts: h1, h2, h3, h4)");
        assertThat(admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, "bad").list().getItems()).isEmpty();
    }

    @Test
    void aMissingTopologyKeepsTheTestPendingUntilTheTimeoutFailsIt() {
        admin.resource(test("lonely", TrafficTestSpec.builder().type(TrafficType.PINGALL).timeoutSeconds(3)
                .topologyRef(ObjectRef.builder().name("nowhere").build()))).create();

        TrafficTest pending = awaitPhase("lonely", Phase.PENDING);
        assertThat(reason(pending, TrafficTestReconciler.COMPLETED)).isEqualTo(TrafficTestReconciler.REASON_TOPOLOGY_NOT_FOUND);
        assertThat(pending.getStatus().getMessage()).contains("VirtualTopology default/nowhere (spec.topologyRef) does not exist");
        assertThat(Conditions.isTrue(pending.getStatus().getConditions(), Conditions.RECONCILING)).isTrue();
        assertThat(Conditions.isTrue(pending.getStatus().getConditions(), Conditions.STALLED)).isFalse();

        TrafficTest failed = awaitPhase("lonely", Phase.FAILED);
        assertThat(reason(failed, TrafficTestReconciler.COMPLETED)).isEqualTo(TrafficTestReconciler.REASON_TIMEOUT);
        assertThat(failed.getStatus().getMessage()).contains("spec.timeoutSeconds (3)");
        assertThat(reason(failed, Conditions.STALLED)).isEqualTo(TrafficTestReconciler.REASON_TIMEOUT);
        assertThat(Conditions.isTrue(failed.getStatus().getConditions(), Conditions.STALLED)).isTrue();
    }

    @Test
    void aTestWaitsForItsTopologyAndRunsOnceItIsReady() {
        admin.resource(test("early", TrafficTestSpec.builder().type(TrafficType.PINGPAIR))).create();
        awaitPhase("early", Phase.PENDING);
        admin.resource(topology("lin4", "linear,4")).create();
        TrafficTest done = awaitPhase("early", Phase.SUCCEEDED);
        assertThat(done.getStatus().getResults()).extracting(r -> r.getSource() + ">" + r.getDestination()).containsExactly("h1>h2", "h2>h1");
        assertThat(done.getStatus().getSummary()).isEqualTo("Results: 0% dropped (2/2 received)");
    }

    @Test
    void aNewRunIdRunsAgainAndIntervalSecondsKeepsRunning() {
        admin.resource(topology("lin4", "linear,4")).create();
        admin.resource(test("again", TrafficTestSpec.builder().type(TrafficType.IPERF)
                .passCriteria(PassCriteria.builder().minThroughputMbps(90.0).build()))).create();
        TrafficTest first = awaitPhase("again", Phase.SUCCEEDED);
        assertThat(first.getStatus().getSummary()).isEqualTo("Results: 94.5 Mbits/sec (h1 → h4)");

        jobs.iperfBitsPerSecond = 50e6;
        admin.resources(TrafficTest.class).inNamespace(NS).withName("again").edit(t -> {
            t.getSpec().setRunId("second");
            return t;
        });
        TrafficTest second = awaitStatus(t -> "second".equals(t.getStatus().getObservedRunId()) && t.getStatus().getPhase() == Phase.FAILED, "again");
        assertThat(second.getStatus().getRuns()).isEqualTo(2);
        assertThat(reason(second, TrafficTestReconciler.PASSED)).isEqualTo(TrafficOutcome.MIN_THROUGHPUT);
        assertThat(second.getStatus().getMessage()).isEqualTo("passCriteria.minThroughputMbps 90: h1 → h4 reached 50 Mbit/s");

        admin.resources(TrafficTest.class).inNamespace(NS).withName("again").edit(t -> {
            t.getSpec().setIntervalSeconds(1);
            return t;
        });
        awaitStatus(t -> t.getStatus().getRuns() != null && t.getStatus().getRuns() >= 4, "again");
        assertThat(jobs.runsOf("default/again")).isGreaterThanOrEqualTo(4);
    }

    @Test
    void testpmdWaitsForItsBridgeAndRunsOnTheNodeItNames() {
        TrafficTest t = test("pmd", TrafficTestSpec.builder().type(TrafficType.TESTPMD).timeoutSeconds(60)
                .testpmd(io.nfvlab.api.traffic.TestpmdSpec.builder().bridgeRef("br0").build()));
        t.getSpec().setTopologyRef(null);
        admin.resource(t).create();
        TrafficTest pending = awaitPhase("pmd", Phase.PENDING);
        assertThat(reason(pending, TrafficTestReconciler.COMPLETED)).isEqualTo(TrafficTestReconciler.REASON_BRIDGE_NOT_READY);

        admin.resources(TrafficTest.class).inNamespace(NS).withName("pmd").edit(x -> {
            x.getSpec().getTestpmd().setNode("node-a");
            return x;
        });
        awaitPhase("pmd", Phase.SUCCEEDED);
        NetworkNodeState state = admin.resources(NetworkNodeState.class)
                .withName(KernelNames.nodeStateName("TrafficTest", NS, "pmd", "node-a")).get();
        assertThat(state.getSpec().getTrafficJobs()).singleElement().satisfies(j -> {
            assertThat(j.getType()).isEqualTo(TrafficType.TESTPMD);
            assertThat(j.pairsOrEmpty()).isEmpty();
        });
    }

    @Test
    void deletingTheTestDeletesItsNodeStates() {
        admin.resource(topology("lin4", "linear,4")).create();
        admin.resource(test("gone", TrafficTestSpec.builder().type(TrafficType.PINGALL))).create();
        awaitPhase("gone", Phase.SUCCEEDED);
        admin.resources(TrafficTest.class).inNamespace(NS).withName("gone").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.resources(TrafficTest.class).inNamespace(NS).withName("gone").get() == null
                && admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, "gone").list().getItems().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> !jobs.forgotten.isEmpty());
    }

    @Test
    void deletingATestWhoseNodeIsGoneCompletesAndLeavesNoNodeState() {
        admin.resource(topology("lin4", "linear,4")).create();
        admin.resource(test("lost", TrafficTestSpec.builder().type(TrafficType.PINGALL))).create();
        awaitPhase("lost", Phase.SUCCEEDED);
        // the agent ran the jobs, so its finalizer is on the state: only an agent, or the gone-node rule, removes it
        assertThat(admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, "lost").list().getItems())
                .singleElement().satisfies(s -> assertThat(s.getMetadata().getFinalizers()).contains(Nfvlab.AGENT_FINALIZER));
        agent.close();
        agent = null;
        admin.nodes().withName("node-a").delete();

        admin.resources(TrafficTest.class).inNamespace(NS).withName("lost").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.resources(TrafficTest.class).inNamespace(NS).withName("lost").get() == null
                && admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, "lost").list().getItems().isEmpty());
        assertThat(admin.v1().events().inNamespace(NS).list().getItems())
                .filteredOn(e -> "NodeGone".equals(e.getReason()) && e.getInvolvedObject().getKind().equals("TrafficTest"))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("node node-a no longer exists"));
    }

    @Test
    void deletingTheTopologyStopsTheJobsOfARunningTestAtOnce() {
        jobs.hold = true;
        admin.resource(topology("lin4", "linear,4")).create();
        admin.resource(test("long", TrafficTestSpec.builder().type(TrafficType.PINGALL))).create();
        awaitPhase("long", Phase.RUNNING);
        String state = KernelNames.nodeStateName("TrafficTest", NS, "long", "node-a");
        assertThat(jobs.forgotten).doesNotContain(state);

        admin.resources(VirtualTopology.class).inNamespace(NS).withName("lin4").delete();
        // the test stays (it may wait for its topology to come back) but its jobs stop: the agent forgets them
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.forgotten.contains(state)
                && admin.resources(NetworkNodeState.class).withName(state).get() == null);
        assertThat(admin.resources(TrafficTest.class).inNamespace(NS).withName("long").get().getStatus().getPhase())
                .isEqualTo(Phase.PENDING);
    }

    private double scrapeCount(String result) {
        Matcher m = Pattern.compile("(?m)^nfvlab_traffic_verdicts_total\\{result=\"" + result + "\"} (\\S+)$").matcher(operator.metrics().scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String reason(TrafficTest t, String condition) {
        return Conditions.find(t.getStatus().getConditions(), condition).orElseThrow().getReason();
    }

    private TrafficTest awaitPhase(String name, Phase phase) {
        return awaitStatus(t -> t.getStatus().getPhase() == phase, name);
    }

    private TrafficTest awaitStatus(Predicate<TrafficTest> condition, String name) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                // on a timeout, show what the test and its node states looked like last
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() < 400) {
                        System.out.println("LAST " + admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get().getStatus()
                                + "\nSTATES " + admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, name).list().getItems());
                    }
                })
                .until(() -> {
            TrafficTest t = admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
            return t != null && t.getStatus() != null && condition.test(t);
        });
        return admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
    }

    static VirtualTopology topology(String name, String builtin) {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type(builtin).build()).build());
        return vt;
    }

    static TrafficTest test(String name, TrafficTestSpec.TrafficTestSpecBuilder spec) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace(NS);
        TrafficTestSpec s = spec.build();
        if (s.getTopologyRef() == null) {
            s.setTopologyRef(ObjectRef.builder().name("lin4").build());
        }
        t.setSpec(s);
        return t;
    }
}
