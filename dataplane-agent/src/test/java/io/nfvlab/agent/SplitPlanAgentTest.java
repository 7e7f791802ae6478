package io.nfvlab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.kernel.fake.FakeKernel;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.plan.NodeStateShards;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node plan split into several NetworkNodeStates (as the operator splits plans too large for one object), applied
 * by a real agent with the in-memory dataplane: built only once every part is there, as one plan (links in one part
 * end on switches in another), each part reporting its own items, and torn down only with its last part.
 */
class SplitPlanAgentTest {
    private static final String NODE = "node-a";
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private KubernetesClient agentClient;
    private Agent agent;
    private FakeDataplane fake;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        agentClient = server.newClient();
        fake = new FakeDataplane();
        agent = Agent.start(agentClient, AgentConfig.builder().nodeName(NODE).underlayAddress("192.0.2.10")
                .dataplane(fake).embedded(true).metricsPort(0).resyncInterval(Duration.ofSeconds(2)).build());
    }

    @AfterEach
    void stop() {
        agent.close();
        agentClient.close();
        server.close();
    }

    @Test
    void partsAreBuiltAsOnePlanOnceAllAreThereAndTornDownWithTheLast() {
        NetworkNodeState whole = OneNodePlans.state("split-lin30", NODE, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear,30").build()).staticArp(true).build());
        List<NetworkNodeState> parts = OneNodePlans.parts(whole, NODE, 4 * 1024);
        assertThat(parts).hasSizeGreaterThanOrEqualTo(4);
        // the cut falls between a switch and its links: links/ of the last parts end on switches of the first
        assertThat(parts.get(parts.size() - 1).getSpec().switchesOrEmpty()).isEmpty();

        for (NetworkNodeState part : parts.subList(1, parts.size())) {
            admin.resource(part).create();
        }
        for (NetworkNodeState part : parts.subList(1, parts.size())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> reason(part).equals(NodeStateReconciler.REASON_WAITING_FOR_PARTS));
        }
        FakeKernel kernel = fake.kernel(NODE);
        assertThat(kernel.namespaces()).as("nothing built from an incomplete plan").isEmpty();

        admin.resource(parts.get(0)).create();
        for (NetworkNodeState part : parts) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reason(part).equals(NodeStateReconciler.REASON_SYNCED));
        }
        assertThat(kernel.hostNamespaces()).hasSize(30);
        assertThat(kernel.namespaces()).hasSize(31);
        assertThat(kernel.bridges()).hasSize(30);
        List<NetworkNodeState> now = parts.stream().map(p -> admin.resource(p).get()).toList();
        assertThat(now.stream().mapToInt(p -> p.getStatus().getHostsReady()).sum()).isEqualTo(30);
        assertThat(now.stream().mapToInt(p -> p.getStatus().getSwitchesReady()).sum()).isEqualTo(30);
        assertThat(now.stream().mapToInt(p -> p.getStatus().getLinksReady()).sum()).isEqualTo(59);
        // static ARP from the one table of 30 hosts: every host knows the 29 others
        String h1 = KernelNames.hostNetns(whole.getSpec().getOwner().getToken(), "h1");
        assertThat(kernel.observe(Set.of(h1), false).get(h1).neighbours()).hasSize(29);

        // a part dropped while the others stay (a plan cut anew) is released without touching the kernel
        NetworkNodeState last = parts.get(parts.size() - 1);
        admin.resource(last).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.resource(last).get() == null);
        assertThat(kernel.hostNamespaces()).hasSize(30);

        for (NetworkNodeState part : parts.subList(0, parts.size() - 1)) {
            admin.resource(part).delete();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> parts.stream().allMatch(p -> admin.resource(p).get() == null));
        assertThat(kernel.namespaces()).isEmpty();
        assertThat(kernel.interfaces(null)).isEmpty();
    }

    private String reason(NetworkNodeState part) {
        NetworkNodeState s = admin.resource(part).get();
        return s == null || s.getStatus() == null ? "" : Conditions.find(s.getStatus().getConditions(), Conditions.SYNCED)
                .map(c -> c.getReason()).orElse("");
    }
}
