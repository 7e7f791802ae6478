package io.nfvlab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.kernel.Dataplane;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.kernel.fake.ForwardingDataplane;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.plan.NodeStateShards;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The parts of a split plan arrive together and are reconciled at the same time; the whole plan is still observed,
 * planned and applied once: a part that waited while another synced reports from that sync. At 10,000 hosts (8 parts)
 * each extra sync read every host namespace for tens of seconds.
 */
class SplitPlanSyncedOnceTest {
    private static final String NODE = "node-a";

    @Test
    void partsReconciledTogetherSyncTheWholePlanOnce() {
        AtomicInteger syncs = new AtomicInteger();
        FakeDataplane fake = new FakeDataplane();
        // a sync slow enough that every part's reconcile starts while the first sync runs
        Dataplane slow = (node, netns) -> new SlowCounting(fake.open(node, netns), syncs);
        try (EmbeddedApiServer server = EmbeddedApiServer.start(); KubernetesClient agentClient = server.newClient()) {
            KubernetesClient admin = server.client();
            Agent agent = Agent.start(agentClient, AgentConfig.builder().nodeName(NODE).underlayAddress("192.0.2.10")
                    .dataplane(slow).embedded(true).metricsPort(0).resyncInterval(Duration.ofMinutes(10)).build());
            try {
                NetworkNodeState whole = OneNodePlans.state("split-once", NODE, VirtualTopologySpec.builder()
                        .topology(BuiltinTopology.builder().type("linear,30").build()).build());
                List<NetworkNodeState> parts = OneNodePlans.parts(whole, NODE, 4 * 1024);
                assertThat(parts).hasSizeGreaterThanOrEqualTo(4);
                parts.forEach(p -> admin.resource(p).create());
                for (NetworkNodeState part : parts) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> synced(admin, part));
                }
                // the 30 hosts' namespaces, besides the one the switch side lives in
                assertThat(fake.kernel(NODE).namespaces()).filteredOn(n -> !n.contains("--sw")).hasSize(30);
                assertThat(syncs.get()).as("syncs of the whole plan for %d parts", parts.size()).isEqualTo(1);
            } finally {
                agent.close();
            }
        }
    }

    private static boolean synced(KubernetesClient admin, NetworkNodeState part) {
        NetworkNodeState s = admin.resource(part).get();
        return s != null && s.getStatus() != null && Conditions.find(s.getStatus().getConditions(), Conditions.SYNCED)
                .map(c -> NodeStateReconciler.REASON_SYNCED.equals(c.getReason())).orElse(false);
    }

    /** Counts the syncs that reach the dataplane and makes each take half a second. */
    private static final class SlowCounting extends ForwardingDataplane {
        private final AtomicInteger syncs;

        SlowCounting(NodeDataplane inner, AtomicInteger syncs) {
            super(inner);
            this.syncs = syncs;
        }

        @Override
        public SyncReport sync(NetworkNodeState state) {
            syncs.incrementAndGet();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.sync(state);
        }
    }
}
