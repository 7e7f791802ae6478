package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.plan.NodeStateShards;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance test of "plans that fit": a 10,000-host tree (tree,depth=2,fanout=100) and a pingall over all of it
 * (99,990,000 pairs), through the real operator, the real agent's reconciler and the in-process API server with a
 * real server's limits (1.5 MiB per object, 3 MiB per request). Every NetworkNodeState is accepted, each spec is
 * under the 512 KiB budget, the agent joins the parts into one plan, and the test completes with Mininet's summary.
 *
 * <p>What is not real here, and why: the agent's dataplane and traffic runner are doubles that record what they are
 * given (building 10,000 namespaces, or running 10^8 echoes, is the benchmark's job: bench/scale/run-tree-10000.sh).
 * The dataplane double reports every item it was given built; the traffic double reports each job's pairs all
 * answered, counted from the job as planned. So this test pins the plan's shape and the objects' sizes, not the kernel.
 */
class PlansThatFitTest {
    private static final String NS = "default";
    private static final String NODE = "node-a";
    private static final int HOSTS = 10_000;

    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private Agent agent;
    private final RecordingDataplane dataplane = new RecordingDataplane();
    private final CountingTraffic traffic = new CountingTraffic();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName(NODE).underlayAddress("192.168.77.1")
                .embedded(true).dataplane((node, netns) -> dataplane).trafficJobs(traffic).sweepOrphansOnStart(false)
                .metricsPort(-1).build());
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
    void aTenThousandHostTreeAndItsPingallArePublishedInPartsThatFitAndComplete() {
        admin.resource(topology()).create();
        // deadlines, not timings (Ready took 42-45 s here with the 2-core machine at a load average above 20)
        VirtualTopology ready = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                .until(() -> admin.resources(VirtualTopology.class).inNamespace(NS).withName("big").get(),
                        t -> t != null && t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY));
        assertThat(ready.getStatus().getHosts()).isEqualTo(HOSTS + "/" + HOSTS);

        List<NetworkNodeState> topologyStates = states("VirtualTopology");
        assertThat(topologyStates).hasSizeGreaterThan(4);
        assertFits(topologyStates);
        assertThat(NodeStateShards.merge(topologyStates.stream().map(NetworkNodeState::getSpec).toList()).hostsOrEmpty()).hasSize(HOSTS);
        // the agent's dataplane saw the whole plan, never a part alone
        assertThat(dataplane.largestPlanHosts.get()).isEqualTo(HOSTS);
        assertThat(dataplane.smallestPlanHosts.get()).isEqualTo(HOSTS);

        admin.resource(pingall()).create();
        TrafficTest done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> admin.resources(TrafficTest.class).inNamespace(NS).withName("all").get(),
                        t -> t != null && t.getStatus() != null && t.getStatus().getPhase() == TrafficTestStatus.Phase.SUCCEEDED);
        long pairs = (long) HOSTS * (HOSTS - 1);
        assertThat(done.getStatus().getSummary()).isEqualTo("Results: 0% dropped (" + pairs + "/" + pairs + " received)");
        List<NetworkNodeState> trafficStates = states("TrafficTest");
        assertThat(trafficStates).hasSizeGreaterThan(1);
        assertFits(trafficStates);
        assertThat(trafficStates.stream().flatMap(s -> s.getSpec().trafficJobsOrEmpty().stream()).mapToLong(TrafficJob::pairCount).sum())
                .isEqualTo(pairs);
        assertThat(traffic.pairsRun.get()).isEqualTo(pairs);
    }

    /** Accepted by the server with its limits on (they are stored), and each spec within the budget. */
    private static void assertFits(List<NetworkNodeState> states) {
        assertThat(states).allSatisfy(s -> {
            assertThat(NodeStateShards.size(s.getSpec())).as(s.getMetadata().getName()).isLessThanOrEqualTo(NodeStateShards.BUDGET_BYTES);
            assertThat(NodeStateShards.size(s)).as(s.getMetadata().getName()).isLessThan(1024 * 1024);
        });
        assertThat(NodeStateShards.complete(states.stream().map(NetworkNodeState::getSpec).toList())).isTrue();
    }

    private List<NetworkNodeState> states(String kind) {
        return admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_KIND_LABEL, kind).list().getItems();
    }

    private static VirtualTopology topology() {
        VirtualTopology t = new VirtualTopology();
        t.getMetadata().setName("big");
        t.getMetadata().setNamespace(NS);
        t.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("tree,depth=2,fanout=100").build()).build());
        return t;
    }

    private static TrafficTest pingall() {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName("all");
        t.getMetadata().setNamespace(NS);
        t.setSpec(TrafficTestSpec.builder().type(TrafficType.PINGALL)
                .topologyRef(io.nfvlab.api.common.ObjectRef.builder().name("big").build()).build());
        return t;
    }

    /** Reports every item of the plan it is given built, and remembers the smallest and largest plan by hosts. */
    private static final class RecordingDataplane implements NodeDataplane {
        final AtomicInteger largestPlanHosts = new AtomicInteger(0);
        final AtomicInteger smallestPlanHosts = new AtomicInteger(Integer.MAX_VALUE);

        @Override
        public SyncReport sync(NetworkNodeState state) {
            NetworkNodeStateSpec spec = state.getSpec();
            if (!spec.hostsOrEmpty().isEmpty()) {
                largestPlanHosts.accumulateAndGet(spec.hostsOrEmpty().size(), Math::max);
                smallestPlanHosts.accumulateAndGet(spec.hostsOrEmpty().size(), Math::min);
            }
            return new SyncReport(0, List.of(), Map.of(), Map.of(), List.of(), spec.hostsOrEmpty().size(), spec.switchesOrEmpty().size(),
                    spec.linksOrEmpty().size(), spec.tunnelsOrEmpty().size(), Duration.ZERO, List.of(), false);
        }

        @Override
        public SyncReport teardown(NetworkNodeState state) {
            return new SyncReport(0, List.of(), Map.of(), Map.of(), List.of(), 0, 0, 0, 0, Duration.ZERO, List.of(), false);
        }

        @Override
        public Set<String> sweepOrphans(Set<String> liveTokens) {
            return Set.of();
        }

        @Override
        public long byteBoundDrops() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    /** Answers each job at once with all its pairs answered, as totals (what the agent's results keep of big jobs). */
    private static final class CountingTraffic implements TrafficJobs {
        final java.util.concurrent.atomic.AtomicLong pairsRun = new java.util.concurrent.atomic.AtomicLong();
        private final Map<String, TrafficJobResult> done = new ConcurrentHashMap<>();

        @Override
        public List<TrafficJobResult> sync(NetworkNodeState state) {
            return state.getSpec().trafficJobsOrEmpty().stream().map(job -> done.computeIfAbsent(
                    state.getMetadata().getName() + "/" + job.getId() + "@" + job.getRunKey(), k -> {
                        long pairs = job.pairCount();
                        pairsRun.addAndGet(pairs);
                        String now = Instant.now().toString();
                        return TrafficJobResult.builder().id(job.getId()).runKey(job.getRunKey())
                                .phase(TrafficJobResult.JobPhase.SUCCEEDED).startTime(now).completionTime(now)
                                .pairCount(pairs).sent(pairs).received(pairs).troubledPairs(0L).build();
                    })).toList();
        }

        @Override
        public void forget(NetworkNodeState state) {
        }
    }
}
