package io.nfvlab.operator.bridge;

import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's side of DpdkBridge against the in-process API server, with real agents whose DPDK bridges are the
 * in-memory {@link TestingDpdkBridges} (the real OVS-DPDK path is DpdkBridgeAcceptanceIT).
 */
class DpdkBridgeReconcilerTest {
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private final List<Agent> agents = new ArrayList<>();
    private final java.util.Map<String, TestingDpdkBridges> bridges = new java.util.HashMap<>();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        for (String node : List.of("node-a", "node-b")) {
            admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node)
                    .addToLabels("nic", node.equals("node-a") ? "dpdk" : "none")
                    .endMetadata().build()).create();
            bridges.put(node, new TestingDpdkBridges());
            agents.add(Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).embedded(true)
                    .dataplane(new FakeDataplane()).dpdkBridges(bridges.get(node)).sweepOrphansOnStart(false).build()));
        }
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        agents.forEach(Agent::close);
        server.close();
    }

    static DpdkBridge bridge(String name, DpdkBridgeSpec spec) {
        DpdkBridge b = new DpdkBridge();
        b.getMetadata().setName(name);
        b.setSpec(spec);
        return b;
    }

    private DpdkBridge get(String name) {
        return admin.resources(DpdkBridge.class).withName(name).get();
    }

    @Test
    void flowToAnUnknownPortIsInvalidSpecNamingTheField() {
        admin.resource(bridge("bad", DpdkBridgeSpec.builder().bridgeName("br-bad")
                .port(VhostUserPort.builder().name("vhu0").build())
                .flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS).pairs(List.of(new FlowSpec.PortPair("vhu0", "vhu7"))).build())
                .build())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("bad").getStatus() != null);
        var ready = Conditions.find(get("bad").getStatus().getConditions(), Conditions.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.flows.pairs[0].b").contains("vhu7");
        assertThat(admin.resources(NetworkNodeState.class).list().getItems()).isEmpty();
    }

    @Test
    void nodeSelectorPicksTheNodesAndDeletionRemovesTheirStates() {
        admin.resource(bridge("sel", DpdkBridgeSpec.builder().bridgeName("br-sel").nodeSelector(Map.of("nic", "dpdk"))
                .port(VhostUserPort.builder().name("vhu0").build()).build())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.resources(NetworkNodeState.class).list().getItems().size() == 1);
        NetworkNodeState state = admin.resources(NetworkNodeState.class).list().getItems().get(0);
        assertThat(state.getMetadata().getName()).isEqualTo("dpdkbridge.cluster.sel.node-a");
        assertThat(state.getMetadata().getLabels()).containsEntry(Nfvlab.NODE_LABEL, "node-a")
                .containsEntry(Nfvlab.OWNER_KIND_LABEL, "DpdkBridge");
        assertThat(state.getSpec().getOwner().getToken()).hasSize(5);
        assertThat(state.getSpec().getDpdkBridges()).singleElement().satisfies(b -> {
            assertThat(b.getSocketDir()).isEqualTo("/var/run/nfvlab/dpdk/br-sel");
            assertThat(b.getSpec().getBridgeName()).isEqualTo("br-sel");
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> get("sel").getStatus() != null
                && Conditions.isTrue(get("sel").getStatus().getConditions(), Conditions.READY));
        DpdkBridge ready = get("sel");
        assertThat(ready.getStatus().getNodesReady()).isEqualTo(1);
        assertThat(ready.getStatus().getPortsReady()).isEqualTo(1);
        assertThat(ready.getStatus().getNodes()).singleElement().satisfies(n -> {
            assertThat(n.getNode()).isEqualTo("node-a");
            assertThat(n.getPorts()).singleElement().satisfies(p ->
                    assertThat(p.getSocketPath()).isEqualTo("/var/run/nfvlab/dpdk/br-sel/vhu0.sock"));
        });
        assertThat(ready.getMetadata().getFinalizers()).contains(Nfvlab.OPERATOR_FINALIZER);
        assertThat(bridges.get("node-a").built).containsExactly("br-sel");
        assertThat(bridges.get("node-b").built).isEmpty();

        admin.resources(DpdkBridge.class).withName("sel").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("sel") == null
                && admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
        assertThat(bridges.get("node-a").built).as("the agent tore the bridge down").isEmpty();
    }

    @Test
    void aNodeWhoseAgentIsGoneGetsNoBridgeWhateverItsLabels() {
        // node-a matches the selector, but its agent stopped (released its Lease); the Node and its labels stay
        agents.remove(0).close();
        admin.resource(bridge("gone", DpdkBridgeSpec.builder().bridgeName("br-gone").nodeSelector(Map.of("nic", "dpdk"))
                .port(VhostUserPort.builder().name("vhu0").build()).build())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("gone").getStatus() != null);
        assertThat(Conditions.find(get("gone").getStatus().getConditions(), Conditions.READY).orElseThrow().getReason())
                .isEqualTo("NoMatchingNodes");
        assertThat(admin.resources(NetworkNodeState.class).list().getItems()).isEmpty();
    }

    @Test
    void deletingABridgeWhoseNodeIsGoneCompletes() {
        admin.resource(bridge("lost", DpdkBridgeSpec.builder().bridgeName("br-lost").nodeSelector(Map.of("nic", "dpdk"))
                .port(VhostUserPort.builder().name("vhu0").build()).build())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("lost").getStatus() != null
                && Conditions.isTrue(get("lost").getStatus().getConditions(), Conditions.READY));
        // node-a's agent and Node vanish (the machine was removed): nobody will ever tear its bridge down
        agents.get(0).close();
        admin.nodes().withName("node-a").delete();

        admin.resources(DpdkBridge.class).withName("lost").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("lost") == null
                && admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
        assertThat(admin.v1().events().inNamespace("default").list().getItems())
                .filteredOn(e -> "NodeGone".equals(e.getReason()))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("node node-a no longer exists")
                        .contains("dpdkbridge.cluster.lost.node-a"));
    }

    @Test
    void noMatchingNodeIsSaid() {
        admin.resource(bridge("none", DpdkBridgeSpec.builder().bridgeName("br-none").nodeSelector(Map.of("nic", "sriov"))
                .port(VhostUserPort.builder().name("vhu0").build()).build())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("none").getStatus() != null);
        var ready = Conditions.find(get("none").getStatus().getConditions(), Conditions.READY).orElseThrow();
        assertThat(ready.getReason()).isEqualTo("NoMatchingNodes");
        assertThat(ready.getMessage()).contains("spec.nodeSelector");
    }
}
