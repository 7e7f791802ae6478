package io.nfvlab.api.plan;

import io.nfvlab.api.common.StoredEquality;
import io.nfvlab.api.node.ArpEntry;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodePlannerTest {
    private static final Map<String, AgentNode> NODES = PlanPrinter.NODES;

    @Test
    void linearFourSpreadMatchesTheGoldenPlan() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/topologies/linear-4.plan.yaml")) {
            String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(PlanPrinter.planYaml(PlanPrinter.fixture("linear-4")).strip()).isEqualTo(expected.strip());
        }
    }

    @Test
    void packedTopologyHasOnlyVethLinksAndKeepsTheDefaultMtu() {
        Map<String, NetworkNodeStateSpec> plan = plan("linear,4", Map.of());
        assertThat(plan).containsOnlyKeys("node-a");
        NetworkNodeStateSpec a = plan.get("node-a");
        assertThat(a.hostsOrEmpty()).hasSize(4);
        assertThat(a.switchesOrEmpty()).hasSize(4);
        assertThat(a.linksOrEmpty()).hasSize(7);
        assertThat(a.tunnelsOrEmpty()).isEmpty();
        assertThat(a.linksOrEmpty()).allSatisfy(l -> assertThat(l.getParams().getMtu()).isNull());
    }

    @Test
    void everyCrossNodeLinkBecomesATunnelOnBothSidesWithTheSameVni() {
        Map<String, NetworkNodeStateSpec> plan = spreadPlan("tree,depth=2,fanout=3");
        List<PlannedTunnel> onA = plan.get("node-a").tunnelsOrEmpty();
        List<PlannedTunnel> onB = plan.get("node-b").tunnelsOrEmpty();
        assertThat(onA).hasSameSizeAs(onB).isNotEmpty();
        for (PlannedTunnel t : onA) {
            PlannedTunnel peer = onB.stream().filter(p -> p.getId().equals(t.getId())).findFirst().orElseThrow();
            assertThat(peer.getVni()).isEqualTo(t.getVni());
            assertThat(t.getLocalAddress()).isEqualTo("192.168.77.1");
            assertThat(t.getRemoteAddress()).isEqualTo("192.168.77.2");
            assertThat(peer.getLocalAddress()).isEqualTo("192.168.77.2");
            assertThat(t.getParams().getMtu()).isEqualTo(1500 - NodePlanner.VXLAN_OVERHEAD);
            assertThat(t.getEndpoint().getNode()).isNotEqualTo(peer.getEndpoint().getNode());
        }
        assertThat(onA.stream().map(PlannedTunnel::getVni).distinct()).hasSameSizeAs(onA);
    }

    @Test
    void everyKernelNameFitsIfnamsizAndIsUniquePerNode() {
        Map<String, NetworkNodeStateSpec> plan = spreadPlan("tree,depth=3,fanout=4");
        for (NetworkNodeStateSpec spec : plan.values()) {
            List<String> rootDevices = Stream.concat(
                    spec.switchesOrEmpty().stream().map(s -> s.getDevice()),
                    Stream.concat(spec.linksOrEmpty().stream().flatMap(l -> Stream.of(l.getA(), l.getB())),
                                    spec.tunnelsOrEmpty().stream().map(PlannedTunnel::getEndpoint))
                            .filter(e -> !e.isHostEnd())
                            .map(e -> e.getDevice()))
                    .toList();
            assertThat(rootDevices).doesNotHaveDuplicates().allSatisfy(d -> assertThat(d.length()).isLessThanOrEqualTo(15));
        }
    }

    @Test
    void staticArpListsEveryHostOnceWithAStableMac() {
        VirtualTopology vt = PlanPrinter.fixture("linear-4");
        vt.getSpec().setAutoMac(false);
        vt.getSpec().setStaticArp(true);
        TopologyGraph graph = TopologyExpander.expand(vt.getSpec());
        Map<String, String> placement = Placement.place(graph, null, List.copyOf(NODES.values()), Map.of());
        Map<String, NetworkNodeStateSpec> plan = NodePlanner.plan(graph, placement, PlanPrinter.owner("arp"), NODES, Map.of(),
                NodePlanner.Settings.defaults().withStaticArp(true));
        var h1 = plan.get("node-a").hostsOrEmpty().get(0);
        // one entry per host, not one per pair: the agent derives each host's entries for the others
        assertThat(plan.get("node-a").staticArpOrEmpty()).extracting(ArpEntry::getHost).containsExactly("h1", "h2", "h3", "h4");
        assertThat(plan.get("node-a").staticArpOrEmpty()).extracting(ArpEntry::getAddress)
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
        assertThat(plan.get("node-a").staticArpOrEmpty().get(0).getMac()).isEqualTo(h1.interfacesOrEmpty().get(0).getMac());
        assertThat(h1.interfacesOrEmpty().get(0).getMac()).startsWith("02:");
        var again = NodePlanner.plan(graph, placement, PlanPrinter.owner("arp"), NODES, Map.of(), NodePlanner.Settings.defaults().withStaticArp(true));
        assertThat(StoredEquality.same(again, plan)).isTrue();
    }

    @Test
    void aDownLinkIsPlannedDownAndTouchesOnlyItsOwnItem() {
        VirtualTopology vt = PlanPrinter.fixture("linear-4");
        vt.getSpec().setPlacement(null);
        Map<String, NetworkNodeStateSpec> before = planOf(vt);
        vt.getSpec().setLinkOverrides(List.of(LinkSpec.builder().a("s1").b("h1").state(LinkState.DOWN).build()));
        Map<String, NetworkNodeStateSpec> after = planOf(vt);
        var changed = after.get("node-a").linksOrEmpty().stream()
                .filter(l -> !before.get("node-a").linksOrEmpty().contains(l)).toList();
        assertThat(changed).singleElement().satisfies(l -> {
            assertThat(l.getId()).isEqualTo("h1-eth0~s1-eth1");
            assertThat(l.getParams().isDown()).isTrue();
        });
    }

    @Test
    void aNodeWithoutUnderlayAddressCannotCarryATunnel() {
        TopologyGraph graph = TopologyExpander.expand("linear,2");
        Map<String, AgentNode> nodes = Map.of("node-a", new AgentNode("node-a", Map.of(), null), "node-b", NODES.get("node-b"));
        Map<String, String> placement = Placement.place(graph, PlanPrinter.spread(), List.copyOf(nodes.values()), Map.of());
        var vnis = VniAllocator.allocate("t", NodePlanner.crossNodeLinks(graph, placement), Map.of(), Set.of());
        assertThatThrownBy(() -> NodePlanner.plan(graph, placement, PlanPrinter.owner("x"), nodes, vnis, NodePlanner.Settings.defaults()))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("node-a").hasMessageContaining("nfvlab.io/underlay-ip");
    }

    private static Map<String, NetworkNodeStateSpec> planOf(VirtualTopology vt) {
        TopologyGraph graph = TopologyExpander.expand(vt.getSpec());
        Map<String, String> placement = Placement.place(graph, vt.getSpec().getPlacement(), List.copyOf(NODES.values()), Map.of());
        var vnis = VniAllocator.allocate("t", NodePlanner.crossNodeLinks(graph, placement), Map.of(), Set.of());
        return NodePlanner.plan(graph, placement, PlanPrinter.owner("lin"), NODES, vnis, NodePlanner.Settings.defaults());
    }

    @Test
    void theTenThousandHostTreePacksOnOneNodeWithEveryNameDistinct() {
        // the largest tree accepted, as `nfvlab run --topo tree,depth=2,fanout=100` plans it (no time asserted:
        // PlanningScaleBench prints how long this takes)
        Map<String, NetworkNodeStateSpec> plan = plan("tree,depth=2,fanout=100", Map.of());
        assertThat(plan).containsOnlyKeys("node-a");
        NetworkNodeStateSpec a = plan.get("node-a");
        assertThat(a.hostsOrEmpty()).hasSize(10_000);
        assertThat(a.switchesOrEmpty()).hasSize(101);
        assertThat(a.linksOrEmpty()).hasSize(10_100);
        assertThat(a.tunnelsOrEmpty()).isEmpty();
        assertThat(a.hostsOrEmpty().stream().map(h -> h.getNetns()).distinct().count()).isEqualTo(10_000);
        List<String> rootEnds = a.linksOrEmpty().stream().flatMap(l -> Stream.of(l.getA(), l.getB()))
                .filter(e -> !e.isHostEnd()).map(e -> e.getDevice()).toList();
        // 100 switch-to-switch links have two root ends, the 10,000 host links one
        assertThat(rootEnds).hasSize(10_200).doesNotHaveDuplicates().allSatisfy(d -> assertThat(d.length()).isLessThanOrEqualTo(15));
    }

    private static Map<String, NetworkNodeStateSpec> plan(String topo, Map<String, String> previous) {
        TopologyGraph graph = TopologyExpander.expand(topo);
        Map<String, String> placement = Placement.place(graph, null, List.copyOf(NODES.values()), previous);
        return NodePlanner.plan(graph, placement, PlanPrinter.owner(topo), NODES, Map.of(), NodePlanner.Settings.defaults());
    }

    private static Map<String, NetworkNodeStateSpec> spreadPlan(String topo) {
        TopologyGraph graph = TopologyExpander.expand(topo);
        Map<String, String> placement = Placement.place(graph, PlanPrinter.spread(), List.copyOf(NODES.values()), Map.of());
        var vnis = VniAllocator.allocate("t", NodePlanner.crossNodeLinks(graph, placement), Map.of(), Set.of());
        return NodePlanner.plan(graph, placement, PlanPrinter.owner(topo), NODES, vnis, NodePlanner.Settings.defaults());
    }
}
