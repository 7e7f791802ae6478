package io.nfvlab.api.plan;

import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Placement and planning of ovs-dpdk switches (on their DpdkBridge's nodes and bridge) and vhostUser hosts. */
class OvsDpdkPlanningTest {
    private static final List<AgentNode> NODES = List.of(
            new AgentNode("node-a", Map.of(), "10.9.0.1"),
            new AgentNode("node-b", Map.of(), "10.9.0.2"),
            new AgentNode("node-c", Map.of(), "10.9.0.3"));
    private static final OwnerRef OWNER = OwnerRef.builder().kind("VirtualTopology").namespace("lab").name("dpdk").uid("u1")
            .generation(1L).token("abcde").build();
    private static final Map<String, NodePlanner.DpdkBridgeTarget> DPDK = Map.of(
            "dpdk0", new NodePlanner.DpdkBridgeTarget("br-dpdk0", "/var/run/nfvlab/dpdk/br-dpdk0"),
            "dpdk1", new NodePlanner.DpdkBridgeTarget("br-dpdk1", "/var/run/nfvlab/dpdk/br-dpdk1"));

    /** h1, h2 in namespaces, vnf1 a vhost-user endpoint, on s1 (ovs-dpdk on dpdk0); s2 a Linux bridge with h3. */
    private static VirtualTopologySpec.VirtualTopologySpecBuilder lab() {
        return VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("h2").build())
                .host(HostSpec.builder().name("h3").build())
                .host(HostSpec.builder().name("vnf1").vhostUser(true).build())
                .switchSpec(SwitchSpec.builder().name("s1").kind(SwitchKind.OVS_DPDK).bridgeRef("dpdk0").build())
                .switchSpec(SwitchSpec.builder().name("s2").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("h2").b("s1").build())
                .link(LinkSpec.builder().a("vnf1").b("s1").build())
                .link(LinkSpec.builder().a("h3").b("s2").build())
                .link(LinkSpec.builder().a("s1").b("s2").build());
    }

    private static PlacementSpec strategy(PlacementSpec.Strategy s) {
        return PlacementSpec.builder().strategy(s).build();
    }

    @Test
    void packChoosesANodeWhereTheDpdkBridgeIsBuilt() {
        TopologyGraph g = TopologyExpander.expand(lab().build());
        Map<String, String> p = Placement.place(g, null, NODES, Map.of(), Map.of("s1", Set.of("node-c")));
        assertThat(p.values()).containsOnly("node-c");
        assertThat(p.keySet()).as("hosts, then switches").containsExactly("h1", "h2", "h3", "vnf1", "s1", "s2");
    }

    @Test
    void packLeavesAnItemsOldNodeWhenTheDpdkBridgeIsNoLongerThere() {
        TopologyGraph g = TopologyExpander.expand(lab().build());
        Map<String, String> before = Placement.place(g, null, NODES, Map.of(), Map.of("s1", Set.of("node-a", "node-b")));
        assertThat(before.values()).containsOnly("node-a");
        assertThat(Placement.place(g, null, NODES, before, Map.of("s1", Set.of("node-b"))).values()).containsOnly("node-b");
    }

    @Test
    void spreadPutsTheOvsDpdkSwitchOnItsBridgesNodeAndTheVhostUserHostWithIt() {
        TopologyGraph g = TopologyExpander.expand(lab().build());
        Map<String, String> p = Placement.place(g, strategy(PlacementSpec.Strategy.SPREAD), NODES.subList(0, 2), Map.of(),
                Map.of("s1", Set.of("node-b")));
        // h1, h2, h3 alternate a, b, a; s1 would follow most of its hosts (node-a) but its DpdkBridge is on node-b
        assertThat(p).containsEntry("h1", "node-a").containsEntry("h2", "node-b").containsEntry("h3", "node-a")
                .containsEntry("s1", "node-b").containsEntry("vnf1", "node-b").containsEntry("s2", "node-a");
    }

    @Test
    void explicitRejectsAnOvsDpdkSwitchNamedOntoANodeWithoutItsBridge() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").node("node-a").build())
                .switchSpec(SwitchSpec.builder().name("s1").kind(SwitchKind.OVS_DPDK).bridgeRef("dpdk0").node("node-a").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .placement(strategy(PlacementSpec.Strategy.EXPLICIT)).build();
        assertThatThrownBy(() -> Placement.place(TopologyExpander.expand(spec), spec.getPlacement(), NODES, Map.of(),
                Map.of("s1", Set.of("node-b"))))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("spec.switches[s1].node").hasMessageContaining("node-b")
                .extracting(e -> ((PlacementException) e).reason()).isEqualTo(Placement.NO_DPDK_BRIDGE_NODE);
    }

    @Test
    void packWithTwoDpdkBridgesOnDifferentNodesSaysWhy() {
        VirtualTopologySpec spec = lab().clearSwitches().switches(List.of(
                        SwitchSpec.builder().name("s1").kind(SwitchKind.OVS_DPDK).bridgeRef("dpdk0").build(),
                        SwitchSpec.builder().name("s2").kind(SwitchKind.OVS_DPDK).bridgeRef("dpdk1").build()))
                .build();
        assertThatThrownBy(() -> Placement.place(TopologyExpander.expand(spec), null, NODES, Map.of(),
                Map.of("s1", Set.of("node-a"), "s2", Set.of("node-b"))))
                .hasMessageContaining("no common node").hasMessageContaining("spread");
    }

    @Test
    void theOvsDpdkSwitchIsItsDpdkBridgesBridgeAndTheVhostUserHostIsAPortOnItWithASocket() {
        TopologyGraph g = TopologyExpander.expand(lab().build());
        Map<String, String> placement = Placement.place(g, null, NODES, Map.of());
        NetworkNodeStateSpec spec = NodePlanner.plan(g, placement, OWNER, Map.of(), Map.of(),
                NodePlanner.Settings.defaults().withStaticArp(true).withDpdkBridges(DPDK)).get("node-a");

        assertThat(spec.getSwitches().get(0).getDevice()).isEqualTo("br-dpdk0");
        assertThat(spec.getSwitches().get(0).getDpdkBridge()).isEqualTo("dpdk0");
        assertThat(spec.getSwitches().get(1).getDevice()).isEqualTo("nvabcdeb1");
        PlannedHost vnf = spec.getHosts().stream().filter(h -> h.getName().equals("vnf1")).findFirst().orElseThrow();
        assertThat(vnf.isVhostUserHost()).isTrue();
        assertThat(vnf.getNetns()).isNull();
        assertThat(vnf.getDefaultRoute()).isNull();
        assertThat(vnf.interfacesOrEmpty()).singleElement().satisfies(i -> {
            assertThat(i.getName()).isEqualTo("vnf1-eth0");
            assertThat(i.getAddress()).isNull();
        });
        PlannedLink link = spec.getLinks().stream().filter(l -> l.getId().equals("vnf1-eth0~s1-eth3")).findFirst().orElseThrow();
        Endpoint end = link.vhostUserEnd();
        assertThat(end).isSameAs(link.getA());
        assertThat(end.getDevice()).isEqualTo("nvabcde2b").isEqualTo(link.getB().getDevice());
        assertThat(end.getBridge()).isEqualTo("br-dpdk0");
        assertThat(end.getNetns()).isNull();
        assertThat(end.getVhostUserSocket()).isEqualTo("/var/run/nfvlab/dpdk/br-dpdk0/nvabcde2b.sock");
        // static ARP: the DPDK application chooses its MAC, so nobody gets an entry for vnf1
        assertThat(spec.staticArpOrEmpty()).hasSize(3)
                .noneMatch(a -> a.getAddress().equals(g.host("vnf1").orElseThrow().address()));
    }

    @Test
    void anOvsDpdkSwitchWithoutItsDpdkBridgeIsNotPlanned() {
        TopologyGraph g = TopologyExpander.expand(lab().build());
        assertThatThrownBy(() -> NodePlanner.plan(g, Placement.place(g, null, NODES, Map.of()), OWNER, Map.of(), Map.of(),
                NodePlanner.Settings.defaults()))
                .isInstanceOf(PlacementException.class).hasMessageContaining("DpdkBridge dpdk0")
                .extracting(e -> ((PlacementException) e).reason()).isEqualTo(NodePlanner.DPDK_BRIDGE_NOT_FOUND);
    }
}
