package io.nfvlab.operator.topology;

import io.nfvlab.api.plan.NodePlanner;
import io.nfvlab.api.plan.Placement;
import io.nfvlab.api.plan.PlanPrinter;
import io.nfvlab.api.plan.VniAllocator;
import io.nfvlab.api.common.StoredEquality;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus;
import io.nfvlab.api.node.SyncReasons;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StatusAggregatorTest {
    private static final Clock T0 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Clock T1 = Clock.fixed(Instant.parse("2026-01-01T00:05:00Z"), ZoneOffset.UTC);

    private final TopologyGraph graph = TopologyExpander.expand("linear,4");
    private final Map<String, String> placement = Placement.place(graph, PlanPrinter.spread(), List.copyOf(PlanPrinter.NODES.values()), Map.of());
    private final Map<String, Integer> vnis = VniAllocator.allocate("t", NodePlanner.crossNodeLinks(graph, placement), Map.of(), Set.of());
    private final Map<String, NetworkNodeStateSpec> plan = NodePlanner.plan(graph, placement, PlanPrinter.owner("lin"),
            PlanPrinter.NODES, vnis, NodePlanner.Settings.defaults());

    @Test
    void readyWhenEveryNodeIsSyncedAtItsCurrentGeneration() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        plan.forEach((node, spec) -> actual.put(node, synced(spec, 3L, 3L)));
        VirtualTopologyStatus status = StatusAggregator.aggregate(5, graph, plan, actual, vnis, null, T0);
        assertThat(Conditions.isTrue(status.getConditions(), Conditions.READY)).isTrue();
        assertThat(Conditions.isTrue(status.getConditions(), Conditions.PROGRESSING)).isFalse();
        assertThat(status.getObservedGeneration()).isEqualTo(5);
        assertThat(status.getHosts()).isEqualTo("4/4");
        assertThat(status.getLinks()).isEqualTo("7/7");
        assertThat(status.getNodes()).extracting(VirtualTopologyStatus.NodeSummary::getNode).containsExactly("node-a", "node-b");
        assertThat(status.getHostAddresses()).extracting(VirtualTopologyStatus.HostStatus::getIp)
                .containsExactlyInAnyOrder("10.0.0.1/8", "10.0.0.2/8", "10.0.0.3/8", "10.0.0.4/8");
        assertThat(status.getTunnels()).hasSize(3);
    }

    @Test
    void aNodeBehindItsGenerationKeepsTheTopologyProgressingAndIsNamed() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        actual.put("node-a", synced(plan.get("node-a"), 2L, 2L));
        actual.put("node-b", synced(plan.get("node-b"), 3L, 2L));
        VirtualTopologyStatus status = StatusAggregator.aggregate(2, graph, plan, actual, vnis, null, T0);
        assertThat(Conditions.find(status.getConditions(), Conditions.READY).orElseThrow())
                .satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("Progressing");
                    assertThat(c.getMessage()).contains("node-b").doesNotContain("node-a");
                });
        assertThat(Conditions.isTrue(status.getConditions(), Conditions.PROGRESSING)).isTrue();
    }

    @Test
    void aStateCarryingAnOlderPlanIsNotSyncedEvenIfItsAgentSaysSo() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        plan.forEach((node, spec) -> actual.put(node, synced(spec, 1L, 1L)));
        NetworkNodeStateSpec older = plan.get("node-a").toBuilder().clearHosts().build();
        actual.put("node-a", synced(older, 1L, 1L));
        VirtualTopologyStatus status = StatusAggregator.aggregate(2, graph, plan, actual, vnis, null, T0);
        assertThat(Conditions.isTrue(status.getConditions(), Conditions.READY)).isFalse();
    }

    @Test
    void agentErrorsMakeTheTopologyDegradedWithTheItem() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        plan.forEach((node, spec) -> actual.put(node, synced(spec, 1L, 1L)));
        actual.get("node-b").getStatus().setErrors(List.of(new NetworkNodeStateStatus.ItemError("links/h2-eth0~s2-eth1", "RTNETLINK answers: File exists")));
        VirtualTopologyStatus status = StatusAggregator.aggregate(1, graph, plan, actual, vnis, null, T0);
        assertThat(Conditions.isTrue(status.getConditions(), Conditions.DEGRADED)).isTrue();
        assertThat(Conditions.find(status.getConditions(), Conditions.DEGRADED).orElseThrow().getMessage())
                .contains("node-b").contains("links/h2-eth0~s2-eth1").contains("File exists");
    }

    @Test
    void aNodeWhoseAgentReportsOvsMissingMakesTheTopologyNotReadyWithThatReasonAndTheAgentsMessage() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        plan.forEach((node, spec) -> actual.put(node, synced(spec, 1L, 1L)));
        NetworkNodeStateStatus b = actual.get("node-b").getStatus();
        b.setConditions(Conditions.set(b.getConditions(), Conditions.SYNCED, false, SyncReasons.OVS_MISSING,
                "Open vSwitch is missing on node node-b (no ovsdb-server answers): switches s2 (ovs) cannot be built", 1L));
        b.setErrors(List.of(new NetworkNodeStateStatus.ItemError("switches/s2", "OVS is not reachable")));
        NetworkNodeStateStatus a = actual.get("node-a").getStatus();
        a.setErrors(List.of(new NetworkNodeStateStatus.ItemError("links/h1-eth0~s1-eth1", "RTNETLINK answers: File exists")));
        VirtualTopologyStatus status = StatusAggregator.aggregate(1, graph, plan, actual, vnis, null, T0);
        var ready = Conditions.find(status.getConditions(), Conditions.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo(SyncReasons.OVS_MISSING);
        assertThat(ready.getMessage()).contains("Open vSwitch is missing on node node-b", "switches s2 (ovs)")
                .contains("node node-a: links/h1-eth0~s1-eth1").doesNotContain("node node-b: switches/s2");
        assertThat(Conditions.isTrue(status.getConditions(), Conditions.DEGRADED)).isTrue();

        // without a node that lacks OVS, errors stay Degraded as before
        b.setConditions(Conditions.set(b.getConditions(), Conditions.SYNCED, false, "SyncFailed", "1 item failed", 1L));
        assertThat(Conditions.find(StatusAggregator.aggregate(1, graph, plan, actual, vnis, null, T0).getConditions(), Conditions.READY)
                .orElseThrow().getReason()).isEqualTo(StatusAggregator.REASON_DEGRADED);
    }

    @Test
    void kstatusSeesAppliedTopologiesAsCurrentWaitingAndFailingOnesAsReconcilingAndInvalidOnesAsStalled() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        plan.forEach((node, spec) -> actual.put(node, synced(spec, 1L, 1L)));
        VirtualTopologyStatus ready = StatusAggregator.aggregate(1, graph, plan, actual, vnis, null, T0);
        assertThat(standing(ready)).containsExactly("False", "False");

        actual.get("node-b").getStatus().setObservedGeneration(0L);
        VirtualTopologyStatus applying = StatusAggregator.aggregate(1, graph, plan, actual, vnis, ready, T1);
        assertThat(standing(applying)).containsExactly("True", "False");
        assertThat(Conditions.find(applying.getConditions(), Conditions.RECONCILING).orElseThrow().getMessage()).contains("node-b");

        actual.get("node-b").getStatus().setObservedGeneration(1L);
        actual.get("node-b").getStatus().setErrors(List.of(new NetworkNodeStateStatus.ItemError("hosts/h2", "boom")));
        assertThat(standing(StatusAggregator.aggregate(1, graph, plan, actual, vnis, ready, T1))).containsExactly("True", "False");

        VirtualTopologyStatus invalid = StatusAggregator.notReady(2, "InvalidSpec", "spec.links[0].a: no host h9", false, ready, T1);
        assertThat(standing(invalid)).containsExactly("False", "True");
        assertThat(Conditions.find(invalid.getConditions(), Conditions.STALLED).orElseThrow())
                .satisfies(c -> {
                    assertThat(c.getReason()).isEqualTo("InvalidSpec");
                    assertThat(c.getMessage()).contains("spec.links[0].a");
                    assertThat(c.getObservedGeneration()).isEqualTo(2L);
                });
        assertThat(Conditions.isTrue(invalid.getConditions(), Conditions.READY)).isFalse();
    }

    /** Reconciling and Stalled, in that order. */
    private static List<String> standing(VirtualTopologyStatus status) {
        return List.of(Conditions.find(status.getConditions(), Conditions.RECONCILING).orElseThrow().getStatus(),
                Conditions.find(status.getConditions(), Conditions.STALLED).orElseThrow().getStatus());
    }

    @Test
    void anUnchangedStatusKeepsItsTransitionTimesSoItIsNotRewritten() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        plan.forEach((node, spec) -> actual.put(node, synced(spec, 1L, 1L)));
        VirtualTopologyStatus first = StatusAggregator.aggregate(1, graph, plan, actual, vnis, null, T0);
        VirtualTopologyStatus second = StatusAggregator.aggregate(1, graph, plan, actual, vnis, first, T1);
        assertThat(StoredEquality.same(first, second)).isTrue();
    }

    @Test
    void countsComeFromTheAgentsAndCrossNodeLinksNeedBothEnds() {
        Map<String, NetworkNodeState> actual = new HashMap<>();
        plan.forEach((node, spec) -> actual.put(node, synced(spec, 1L, 1L)));
        actual.get("node-a").getStatus().setTunnelsReady(1);
        actual.get("node-a").getStatus().setHostsReady(1);
        VirtualTopologyStatus status = StatusAggregator.aggregate(1, graph, plan, actual, vnis, null, T0);
        assertThat(status.getHosts()).isEqualTo("3/4");
        // 4 veth links ready, tunnels: 1 on a + 3 on b = 4 ends = 2 links
        assertThat(status.getLinks()).isEqualTo("6/7");
    }

    private static NetworkNodeState synced(NetworkNodeStateSpec spec, long generation, long observed) {
        NetworkNodeState s = new NetworkNodeState();
        s.setMetadata(new ObjectMetaBuilder().withName("x-" + spec.getNodeName()).withGeneration(generation).build());
        s.setSpec(spec);
        s.setStatus(NetworkNodeStateStatus.builder()
                .observedGeneration(observed)
                .conditions(Conditions.set(null, Conditions.SYNCED, true, "Synced", "", observed))
                .hostsReady(spec.hostsOrEmpty().size())
                .linksReady(spec.linksOrEmpty().size())
                .tunnelsReady(spec.tunnelsOrEmpty().size())
                .build());
        return s;
    }
}
