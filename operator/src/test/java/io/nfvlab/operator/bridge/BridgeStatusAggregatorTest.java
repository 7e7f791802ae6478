package io.nfvlab.operator.bridge;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.bridge.DpdkBridgeStatus;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BridgeStatusAggregatorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static NetworkNodeState state(long generation, Long observed, boolean synced, NodeBridgeStatus bridge) {
        NetworkNodeState s = new NetworkNodeState();
        s.setMetadata(new ObjectMetaBuilder().withName("x").withGeneration(generation).build());
        s.setStatus(NetworkNodeStateStatus.builder().observedGeneration(observed)
                .conditions(Conditions.set(null, Conditions.SYNCED, synced, "Synced", "", observed))
                .dpdkBridges(bridge == null ? null : List.of(bridge)).build());
        return s;
    }

    private static NodeBridgeStatus up(String... portStates) {
        return NodeBridgeStatus.builder().bridgeName("br0").bridgeUp(true).ports(java.util.Arrays.stream(portStates)
                .map(st -> NodeBridgeStatus.PortStatus.builder().name("p").state(st).build()).toList()).build();
    }

    private static String ready(DpdkBridgeStatus s) {
        return Conditions.find(s.getConditions(), Conditions.READY).map(c -> c.getStatus() + "/" + c.getReason()).orElse("");
    }

    @Test
    void readyWhenEveryPlannedNodeReportsTheBridgeUpAtItsGeneration() {
        var status = BridgeStatusAggregator.aggregate(3, "br0", Set.of("a", "b"),
                Map.of("a", state(2, 2L, true, up("up", "down")), "b", state(1, 1L, true, up("up", "up"))), null, CLOCK);
        assertThat(ready(status)).isEqualTo("True/Ready");
        assertThat(status.getNodesReady()).isEqualTo(2);
        assertThat(status.getPortsReady()).isEqualTo(4);
        assertThat(status.getNodes()).extracting(NodeBridgeStatus::getNode).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void staleGenerationOrMissingStateIsWaiting() {
        var status = BridgeStatusAggregator.aggregate(1, "br0", Set.of("a", "b"),
                Map.of("a", state(2, 1L, true, up("up"))), null, CLOCK);
        assertThat(ready(status)).isEqualTo("False/Applying");
        assertThat(Conditions.find(status.getConditions(), Conditions.READY).get().getMessage()).contains("a").contains("b");
        assertThat(status.getNodesReady()).isZero();
    }

    @Test
    void aBridgeDownOnANodeIsDegradedWithTheAgentsMessage() {
        var down = NodeBridgeStatus.builder().bridgeName("br0").bridgeUp(false)
                .message("hugepages: spec.dpdk.hugepages needs 1024 pages of 2 MB, the node has 512").ports(List.of()).build();
        var status = BridgeStatusAggregator.aggregate(1, "br0", Set.of("a"), Map.of("a", state(1, 1L, true, down)), null, CLOCK);
        assertThat(ready(status)).isEqualTo("False/BridgeFailed");
        assertThat(Conditions.isTrue(status.getConditions(), Conditions.DEGRADED)).isTrue();
        assertThat(Conditions.find(status.getConditions(), Conditions.READY).get().getMessage()).startsWith("a: hugepages:");
    }

    @Test
    void errorPortsDoNotCount() {
        var status = BridgeStatusAggregator.aggregate(1, "br0", Set.of("a"), Map.of("a", state(1, 1L, true, up("up", "error"))), null, CLOCK);
        assertThat(status.getPortsReady()).isEqualTo(1);
    }

    @Test
    void kstatusSeesNoMatchingNodeAndAnInvalidSpecAsStalledAndWaitingOrFailedBridgesAsReconciling() {
        assertThat(standing(BridgeStatusAggregator.aggregate(1, "br0", Set.of(), Map.of(), null, CLOCK))).isEqualTo("False/True");
        assertThat(standing(BridgeStatusAggregator.invalid(1, "spec.ports[0].name: must be unique", null, CLOCK))).isEqualTo("False/True");
        assertThat(standing(BridgeStatusAggregator.aggregate(1, "br0", Set.of("a"), Map.of(), null, CLOCK))).isEqualTo("True/False");
        var down = NodeBridgeStatus.builder().bridgeName("br0").bridgeUp(false).message("no hugepages").build();
        assertThat(standing(BridgeStatusAggregator.aggregate(1, "br0", Set.of("a"), Map.of("a", state(1, 1L, true, down)), null, CLOCK)))
                .isEqualTo("True/False");
        assertThat(standing(BridgeStatusAggregator.aggregate(1, "br0", Set.of("a"), Map.of("a", state(1, 1L, true, up("up"))), null, CLOCK)))
                .isEqualTo("False/False");
    }

    /** Reconciling/Stalled. */
    private static String standing(DpdkBridgeStatus s) {
        return Conditions.find(s.getConditions(), Conditions.RECONCILING).orElseThrow().getStatus() + "/"
                + Conditions.find(s.getConditions(), Conditions.STALLED).orElseThrow().getStatus();
    }
}
