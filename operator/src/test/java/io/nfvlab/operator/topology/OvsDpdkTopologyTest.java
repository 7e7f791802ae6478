package io.nfvlab.operator.topology;

import io.nfvlab.api.plan.DpdkSwitches;
import io.nfvlab.api.plan.Placement;
import io.nfvlab.api.plan.NodePlanner;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Marks;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.kernel.fake.FakeKernel;
import io.nfvlab.agent.ovsdpdk.DpdkBridges;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ovs-dpdk switches and vhostUser hosts through the real operator and real agents against the in-process API server;
 * each agent's kernel is the in-memory fake, and its DpdkBridges put the DpdkBridge's bridge into that fake kernel as
 * the real OvsDpdkBridges would put it into OVS (the real OVS-DPDK path is OvsDpdkTopologyAcceptanceIT).
 */
class OvsDpdkTopologyTest {
    private static final String NS = "default";
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private final FakeDataplane dataplane = new FakeDataplane();
    private final List<Agent> agents = new ArrayList<>();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        for (String node : List.of("node-a", "node-b")) {
            admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node)
                    .addToLabels("nic", node.equals("node-b") ? "dpdk" : "none")
                    .endMetadata().build()).create();
            agents.add(Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).embedded(true)
                    .dataplane(dataplane).dpdkBridges(new BridgesInTheFakeKernel(dataplane.kernel(node)))
                    .resyncInterval(Duration.ofSeconds(1)).sweepOrphansOnStart(false).build()));
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

    @Test
    void aTopologyWaitsForItsDpdkBridgeThenLivesOnItsNodeAndBridgeAndListsItsVhostUserSockets() {
        admin.resource(lab("lab")).create();
        VirtualTopology waiting = awaitUntil("lab", t -> reason(t).equals(NodePlanner.DPDK_BRIDGE_NOT_FOUND));
        assertThat(readyMessage(waiting)).contains("DpdkBridge dpdk0");
        // a DpdkBridge applied in the same GitOps sync may still come: reconciling, not stalled
        assertThat(Conditions.isTrue(waiting.getStatus().getConditions(), Conditions.RECONCILING)).isTrue();
        assertThat(Conditions.isTrue(waiting.getStatus().getConditions(), Conditions.STALLED)).isFalse();
        assertThat(states("lab")).isEmpty();

        // built only on node-b: pack would otherwise choose node-a, the first by name
        admin.resource(dpdkBridge("dpdk0", "br-dpdk0", Map.of("nic", "dpdk"), null)).create();
        VirtualTopology ready = awaitUntil("lab", t -> Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY));

        assertThat(ready.getStatus().getHosts()).isEqualTo("3/3");
        assertThat(ready.getStatus().getLinks()).isEqualTo("3/3");
        NetworkNodeState state = states("lab").get(0);
        assertThat(state.getSpec().getNodeName()).isEqualTo("node-b");
        assertThat(state.getSpec().getSwitches()).extracting(PlannedSwitch::getDevice, PlannedSwitch::getDpdkBridge)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("br-dpdk0", "dpdk0"));
        VirtualTopologyStatus.HostStatus vnf = ready.getStatus().getHostAddresses().stream()
                .filter(h -> h.getName().equals("vnf1")).findFirst().orElseThrow();
        assertThat(vnf.getNetns()).isNull();
        assertThat(vnf.getNode()).isEqualTo("node-b");
        assertThat(vnf.getVhostUser()).singleElement().satisfies(e -> {
            assertThat(e.getInterfaceName()).isEqualTo("vnf1-eth0");
            assertThat(e.getBridge()).isEqualTo("br-dpdk0");
            assertThat(e.getSocketPath()).isEqualTo("/var/run/nfvlab/dpdk/br-dpdk0/" + e.getPort() + ".sock");
            assertThat(dataplane.kernel("node-b").vhostUserSockets()).containsEntry(e.getPort(), e.getSocketPath());
        });
        assertThat(dataplane.kernel("node-b").ovsPortBridges()).hasSize(3).containsValues("br-dpdk0");

        // the topology goes; the DpdkBridge's bridge stays until the DpdkBridge goes
        admin.resources(VirtualTopology.class).inNamespace(NS).withName("lab").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("lab") == null && states("lab").isEmpty());
        assertThat(dataplane.kernel("node-b").ovsBridges()).containsExactly("br-dpdk0");
        assertThat(dataplane.kernel("node-b").ovsPorts()).isEmpty();
        assertThat(dataplane.kernel("node-b").namespaces()).isEmpty();
        admin.resources(DpdkBridge.class).withName("dpdk0").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> dataplane.kernel("node-b").ovsBridges().isEmpty());
    }

    @Test
    void aDpdkBridgeWithPortPairFlowsIsRefusedWithTheReason() {
        admin.resource(dpdkBridge("pairs", "br-pairs", null, FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS)
                .pairs(List.of(new FlowSpec.PortPair("vhu0", "vhu1"))).build())).create();
        VirtualTopology t = lab("on-pairs");
        t.getSpec().setBridgeRef("pairs");
        admin.resource(t).create();

        VirtualTopology refused = awaitUntil("on-pairs", x -> reason(x).equals(DpdkSwitches.PORT_PAIR_FLOWS));
        assertThat(readyMessage(refused)).contains("DpdkBridge pairs").contains("flows mode normal");
        assertThat(Conditions.isTrue(refused.getStatus().getConditions(), Conditions.STALLED)).isTrue();
        assertThat(Conditions.isTrue(refused.getStatus().getConditions(), Conditions.RECONCILING)).isFalse();

        // the DpdkBridge switching to NORMAL flows wakes the topology (a user's edit: retried on 409, as kubectl
        // does, when the operator wrote the bridge's status in between)
        for (int attempt = 1; ; attempt++) {
            try {
                admin.resources(DpdkBridge.class).withName("pairs").edit(b -> {
                    b.getSpec().setFlows(null);
                    return b;
                });
                break;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
        awaitUntil("on-pairs", x -> Conditions.isTrue(x.getStatus().getConditions(), Conditions.READY));
    }

    @Test
    void aDpdkBridgeBuiltOnNoAgentNodeLeavesTheTopologyUnschedulable() {
        admin.resource(dpdkBridge("nowhere", "br-nowhere", Map.of("nic", "sriov"), null)).create();
        VirtualTopology t = lab("unplaced");
        t.getSpec().setBridgeRef("nowhere");
        admin.resource(t).create();

        VirtualTopology refused = awaitUntil("unplaced", x -> reason(x).equals(Placement.NO_DPDK_BRIDGE_NODE));
        assertThat(readyMessage(refused)).contains("switch s1");
    }

    // --- helpers

    /** h1 and h2 in namespaces and vnf1, a vhost-user endpoint, on s1 of kind ovs-dpdk on DpdkBridge dpdk0. */
    private static VirtualTopology lab(String name) {
        VirtualTopology t = new VirtualTopology();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace(NS);
        t.setSpec(VirtualTopologySpec.builder().switchKind(SwitchKind.OVS_DPDK).bridgeRef("dpdk0")
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("h2").build())
                .host(HostSpec.builder().name("vnf1").vhostUser(true).build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("h2").b("s1").build())
                .link(LinkSpec.builder().a("vnf1").b("s1").build())
                .build());
        return t;
    }

    private static DpdkBridge dpdkBridge(String name, String bridge, Map<String, String> nodeSelector, FlowSpec flows) {
        DpdkBridge b = new DpdkBridge();
        b.getMetadata().setName(name);
        b.setSpec(DpdkBridgeSpec.builder().bridgeName(bridge).nodeSelector(nodeSelector)
                .port(VhostUserPort.builder().name("vhu0").build()).port(VhostUserPort.builder().name("vhu1").build())
                .flows(flows).build());
        return b;
    }

    private VirtualTopology get(String name) {
        return admin.resources(VirtualTopology.class).inNamespace(NS).withName(name).get();
    }

    private static String reason(VirtualTopology t) {
        return Conditions.find(t.getStatus().getConditions(), Conditions.READY).map(c -> c.getReason()).orElse("");
    }

    private static String readyMessage(VirtualTopology t) {
        return Conditions.find(t.getStatus().getConditions(), Conditions.READY).map(c -> c.getMessage()).orElse("");
    }

    private List<NetworkNodeState> states(String owner) {
        return admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, owner).list().getItems();
    }

    private VirtualTopology awaitUntil(String name, Predicate<VirtualTopology> condition) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                VirtualTopology t = get(name);
                return t != null && t.getStatus() != null && condition.test(t);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("topology " + name + " did not get there; it is now " + get(name)
                    + "\nnode states: " + states(name), e);
        }
        return get(name);
    }

    /** DpdkBridges whose bridge is an OVS bridge in the node's fake kernel, marked as OvsDpdkBridges marks its own. */
    private static final class BridgesInTheFakeKernel implements DpdkBridges {
        private final FakeKernel kernel;

        BridgesInTheFakeKernel(FakeKernel kernel) {
            this.kernel = kernel;
        }

        @Override
        public List<NodeBridgeStatus> sync(NetworkNodeState state) {
            return state.getSpec().dpdkBridgesOrEmpty().stream().map(b -> {
                String bridge = b.getSpec().getBridgeName();
                if (!kernel.ovsBridges().contains(bridge)) {
                    kernel.apply(List.of(new Action.OvsBridgeAdd("dpdkBridges/" + b.getName(), bridge, Map.of(
                            Nfvlab.OVS_OWNER_KEY, state.getSpec().getOwner().getToken(),
                            Marks.OVS_NODE_KEY, state.getSpec().getNodeName(),
                            Marks.OVS_DPDK_BRIDGE_KEY, b.getName()), false, null)));
                }
                return NodeBridgeStatus.builder().node(state.getSpec().getNodeName()).bridgeName(bridge).bridgeUp(true)
                        .ports(List.of()).build();
            }).toList();
        }

        @Override
        public void teardown(NetworkNodeState state) {
            state.getSpec().dpdkBridgesOrEmpty().forEach(b ->
                    kernel.apply(List.of(new Action.OvsBridgeDel("dpdkBridges/" + b.getName(), b.getSpec().getBridgeName()))));
        }
    }
}
