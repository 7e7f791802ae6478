package io.nfvlab.api.plan;

import io.nfvlab.api.common.StoredEquality;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeStateShardsTest {
    private static final Map<String, AgentNode> ONE = Map.of("node-a", new AgentNode("node-a", Map.of(), "192.168.77.1"));

    private static NetworkNodeStateSpec onOneNode(String topo, boolean staticArp) {
        TopologyGraph graph = TopologyExpander.expand(topo);
        Map<String, String> placement = Placement.place(graph, null, List.copyOf(ONE.values()), Map.of());
        return NodePlanner.plan(graph, placement, PlanPrinter.owner("big"), ONE, Map.of(),
                NodePlanner.Settings.defaults().withStaticArp(staticArp)).get("node-a");
    }

    @Test
    void aPlanThatFitsStaysOneObjectWithoutAShardField() {
        NetworkNodeStateSpec spec = onOneNode("linear,4", false);
        List<NetworkNodeStateSpec> parts = NodeStateShards.split(spec);
        assertThat(parts).containsExactly(spec);
        assertThat(parts.get(0).getShard()).isNull();
        assertThat(NodeStateShards.complete(parts)).isTrue();
    }

    @Test
    void aLargePlanIsCutIntoPartsUnderTheBudgetThatJoinBackIntoThePlan() {
        // 1600 hosts; the 10,000-host tree goes through the API server in the operator's NodeStatesFitTest
        NetworkNodeStateSpec spec = onOneNode("tree,depth=2,fanout=40", true);
        int budget = 128 * 1024;
        assertThat(NodeStateShards.size(spec)).isGreaterThan(4 * budget);

        List<NetworkNodeStateSpec> parts = NodeStateShards.split(spec, budget);

        assertThat(parts).hasSizeGreaterThan(4).allSatisfy(p -> assertThat(NodeStateShards.size(p)).isLessThanOrEqualTo(budget));
        assertThat(parts).extracting(p -> p.getShard().getIndex()).containsExactlyElementsOf(range(parts.size()));
        assertThat(parts).extracting(p -> p.getShard().getCount()).containsOnly(parts.size());
        assertThat(parts).extracting(p -> p.getShard().getPlan()).containsOnly(NodeStateShards.planHash(spec));
        assertThat(parts).allSatisfy(p -> assertThat(p.getOwner()).isEqualTo(spec.getOwner()));
        // the static ARP table is one entry per host, not one per pair of hosts
        assertThat(parts).flatExtracting(NetworkNodeStateSpec::staticArpOrEmpty).hasSize(1600);
        assertThat(NodeStateShards.complete(parts)).isTrue();
        List<NetworkNodeStateSpec> shuffled = new ArrayList<>(parts);
        Collections.reverse(shuffled);
        assertThat(StoredEquality.same(NodeStateShards.merge(shuffled), spec)).isTrue();
        // deterministic: the same plan is cut the same way
        assertThat(StoredEquality.same(NodeStateShards.split(spec, budget), parts)).isTrue();
    }

    @Test
    void partsAreCompleteOnlyAllTogetherAndFromOnePlan() {
        NetworkNodeStateSpec spec = onOneNode("linear,200", false);
        List<NetworkNodeStateSpec> parts = NodeStateShards.split(spec, 16 * 1024);
        assertThat(parts).hasSizeGreaterThan(2);
        assertThat(NodeStateShards.complete(parts.subList(0, parts.size() - 1))).isFalse();

        NetworkNodeStateSpec changed = spec.toBuilder().build();
        List<PlannedLink> links = new ArrayList<>(changed.getLinks());
        links.remove(links.size() - 1);
        changed.setLinks(links);
        List<NetworkNodeStateSpec> newer = NodeStateShards.split(changed, 16 * 1024);
        List<NetworkNodeStateSpec> mixed = new ArrayList<>(parts);
        mixed.set(0, newer.get(0));
        assertThat(NodeStateShards.complete(mixed)).as("a part of the next plan beside parts of the last").isFalse();
        List<NetworkNodeStateSpec> doubled = new ArrayList<>(parts);
        doubled.set(1, parts.get(0));
        assertThat(NodeStateShards.complete(doubled)).isFalse();
    }

    @Test
    void theOwnersGenerationAloneDoesNotChangeThePlanHash() {
        NetworkNodeStateSpec spec = onOneNode("linear,4", false);
        NetworkNodeStateSpec later = spec.toBuilder().owner(spec.getOwner().toBuilder().generation(7L).build()).build();
        assertThat(NodeStateShards.planHash(later)).isEqualTo(NodeStateShards.planHash(spec));
    }

    @Test
    void anItemLargerThanTheBudgetIsAClearError() {
        NetworkNodeStateSpec spec = onOneNode("linear,2", false);
        PlannedHost fat = spec.getHosts().get(0).toBuilder().defaultRoute("x".repeat(4000)).build();
        NetworkNodeStateSpec withFat = spec.toBuilder().clearHosts().host(fat).build();
        assertThatThrownBy(() -> NodeStateShards.split(withFat, 2048))
                .isInstanceOf(PlacementException.class)
                .hasMessageContaining("spec.hosts[0]").hasMessageContaining("budget of 2048");
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
