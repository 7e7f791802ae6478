package io.nfvlab.api.plan;

import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {
    private static final List<AgentNode> THREE = List.of(
            new AgentNode("node-c", Map.of("zone", "z2"), "10.9.0.3"),
            new AgentNode("node-a", Map.of("zone", "z1"), "10.9.0.1"),
            new AgentNode("node-b", Map.of("zone", "z1"), "10.9.0.2"));

    @Test
    void packPutsEverythingOnTheFirstNodeByName() {
        Map<String, String> p = Placement.place(TopologyExpander.expand("tree,depth=2,fanout=2"), null, THREE, Map.of());
        assertThat(p.values()).containsOnly("node-a");
        assertThat(p).containsKeys("h1", "h4", "s1", "s3");
    }

    @Test
    void packStaysOnItsNodeWhenAnEarlierNodeJoins() {
        TopologyGraph g = TopologyExpander.expand("linear,3");
        Map<String, String> previous = Placement.place(g, null, THREE.subList(0, 1), Map.of());
        assertThat(previous.values()).containsOnly("node-c");
        assertThat(Placement.place(g, null, THREE, previous).values()).containsOnly("node-c");
    }

    @Test
    void spreadDealsHostsRoundRobinAndPutsSwitchesWithMostOfTheirHosts() {
        TopologyGraph g = TopologyExpander.expand("linear,k=2,n=3");
        Map<String, String> p = Placement.place(g, spread(null), THREE.subList(1, 3), Map.of());
        // hosts in Mininet's natural order h1s1 h1s2 h2s1 h2s2 h3s1 h3s2 alternate a, b
        assertThat(g.hosts().stream().map(h -> p.get(h.name())).toList())
                .containsExactly("node-a", "node-b", "node-a", "node-b", "node-a", "node-b");
        // s1 has h1s1, h2s1, h3s1 on a, b, a; s2 has h1s2, h2s2, h3s2 on b, a, b
        assertThat(p.get("s1")).isEqualTo("node-a");
        assertThat(p.get("s2")).isEqualTo("node-b");
    }

    @Test
    void spreadPlacesHostlessSwitchesWithTheirNeighbourSwitches() {
        TopologyGraph g = TopologyExpander.expand("tree,depth=3,fanout=2");
        Map<String, String> p = Placement.place(g, spread(null), THREE, Map.of());
        assertThat(p).containsKeys("s1", "s2");
        assertThat(p.values()).containsOnly("node-a", "node-b", "node-c");
        assertThat(p.keySet()).hasSize(g.hosts().size() + g.switches().size());
    }

    @Test
    void theSameInputsGiveTheSamePlacement() {
        TopologyGraph g = TopologyExpander.expand("tree,depth=2,fanout=3");
        Map<String, String> once = Placement.place(g, spread(null), THREE, Map.of());
        Map<String, String> twice = Placement.place(g, spread(null), List.of(THREE.get(2), THREE.get(0), THREE.get(1)), Map.of());
        assertThat(twice).containsExactlyEntriesOf(once);
    }

    @Test
    void spreadKeepsPlacedHostsWhenANodeJoins() {
        TopologyGraph g = TopologyExpander.expand("linear,4");
        Map<String, String> before = Placement.place(g, spread(null), THREE.subList(1, 3), Map.of());
        Map<String, String> after = Placement.place(g, spread(null), THREE, before);
        assertThat(after).containsExactlyEntriesOf(before);
    }

    @Test
    void nodeSelectorLimitsTheNodes() {
        TopologyGraph g = TopologyExpander.expand("linear,4");
        Map<String, String> p = Placement.place(g, spread(Map.of("zone", "z2")), THREE, Map.of());
        assertThat(p.values()).containsOnly("node-c");
    }

    @Test
    void noMatchingNodeIsAPlacementProblemNamingTheSelector() {
        TopologyGraph g = TopologyExpander.expand("linear,2");
        assertThatThrownBy(() -> Placement.place(g, spread(Map.of("zone", "z9")), THREE, Map.of()))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("spec.placement.nodeSelector")
                .extracting(e -> ((PlacementException) e).reason()).isEqualTo(Placement.NO_AGENT_NODES);
    }

    @Test
    void explicitPutsHostsWhereTheySayAndSwitchesWithTheirHosts() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").node("node-b").build())
                .host(HostSpec.builder().name("h2").node("node-c").build())
                .host(HostSpec.builder().name("h3").node("node-c").build())
                .switches(List.of(SwitchSpec.builder().name("s1").build(), SwitchSpec.builder().name("s2").node("node-a").build()))
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("h2").b("s1").build())
                .link(LinkSpec.builder().a("h3").b("s1").build())
                .link(LinkSpec.builder().a("s1").b("s2").build())
                .placement(PlacementSpec.builder().strategy(PlacementSpec.Strategy.EXPLICIT).build())
                .build();
        Map<String, String> p = Placement.place(TopologyExpander.expand(spec), spec.getPlacement(), THREE, Map.of());
        assertThat(p).containsEntry("h1", "node-b").containsEntry("h2", "node-c").containsEntry("s1", "node-c").containsEntry("s2", "node-a");
    }

    @Test
    void explicitNodeWithoutAgentIsReportedWithItsField() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").node("node-z").build())
                .placement(PlacementSpec.builder().strategy(PlacementSpec.Strategy.EXPLICIT).build())
                .build();
        assertThatThrownBy(() -> Placement.place(TopologyExpander.expand(spec), spec.getPlacement(), THREE, new HashMap<>()))
                .hasMessageContaining("spec.hosts[h1].node").hasMessageContaining("node-z");
    }

    private static PlacementSpec spread(Map<String, String> selector) {
        return PlacementSpec.builder().strategy(PlacementSpec.Strategy.SPREAD).nodeSelector(selector).build();
    }
}
