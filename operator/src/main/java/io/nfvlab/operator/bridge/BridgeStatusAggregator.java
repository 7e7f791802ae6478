package io.nfvlab.operator.bridge;

import io.fabric8.kubernetes.api.model.Condition;
import io.nfvlab.api.bridge.DpdkBridgeStatus;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateStatus;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Node states → DpdkBridge status: nodes and ports ready, each node's bridge and ports, Ready/Progressing/Degraded,
 * and Reconciling/Stalled for kstatus (Stalled for an invalid spec or no matching node; a failed bridge is retried by
 * its agent, so Reconciling). Pure.
 */
public final class BridgeStatusAggregator {
    public static final String REASON_READY = "Ready";
    public static final String REASON_APPLYING = "Applying";
    public static final String REASON_INVALID_SPEC = "InvalidSpec";
    public static final String REASON_NO_NODES = "NoMatchingNodes";
    public static final String REASON_BRIDGE_FAILED = "BridgeFailed";
    public static final String REASON_NO_ERRORS = "NoErrors";

    private BridgeStatusAggregator() {
    }

    /**
     * @param planned the nodes the bridge is planned on
     * @param states  the published node states by node (whatever the agents reported so far)
     */
    public static DpdkBridgeStatus aggregate(long generation, String bridgeName, Set<String> planned,
                                             Map<String, NetworkNodeState> states, DpdkBridgeStatus previous, Clock clock) {
        List<Condition> conditions = previous == null ? List.of() : previous.getConditions();
        List<NodeBridgeStatus> nodes = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int nodesReady = 0;
        int portsReady = 0;
        for (String node : planned) {
            NetworkNodeState state = states.get(node);
            NetworkNodeStateStatus status = state == null ? null : state.getStatus();
            boolean synced = status != null && state.getMetadata().getGeneration() != null
                    && Objects.equals(status.getObservedGeneration(), state.getMetadata().getGeneration())
                    && Conditions.isTrue(status.getConditions(), Conditions.SYNCED);
            NodeBridgeStatus reported = status == null || status.getDpdkBridges() == null ? null : status.getDpdkBridges().stream()
                    .filter(b -> bridgeName.equals(b.getBridgeName())).findFirst().orElse(null);
            if (!synced || reported == null) {
                waiting.add(node);
                nodes.add(reported != null ? reported.toBuilder().node(node).build()
                        : NodeBridgeStatus.builder().node(node).bridgeName(bridgeName).bridgeUp(false)
                        .message("waiting for the node's agent").build());
                continue;
            }
            NodeBridgeStatus entry = reported.toBuilder().node(node).build();
            nodes.add(entry);
            if (Boolean.TRUE.equals(entry.getBridgeUp())) {
                nodesReady++;
                portsReady += (int) (entry.getPorts() == null ? 0 : entry.getPorts().stream()
                        .filter(p -> !"error".equals(p.getState())).count());
            } else {
                failed.add(node + ": " + (entry.getMessage() == null ? "bridge not up" : entry.getMessage()));
            }
        }
        if (planned.isEmpty()) {
            String msg = "no node with a live nfvlab agent matches spec.nodeSelector";
            conditions = Conditions.set(conditions, Conditions.READY, Conditions.FALSE, REASON_NO_NODES, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.PROGRESSING, Conditions.FALSE, REASON_NO_NODES, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.FALSE, REASON_NO_ERRORS, "", generation, clock);
            // no node to build on: only a change of nodeSelector or of the cluster's agents helps
            conditions = Conditions.stand(conditions, Conditions.Standing.STALLED, REASON_NO_NODES, msg, generation, clock);
        } else if (!failed.isEmpty()) {
            String msg = String.join("; ", failed);
            conditions = Conditions.set(conditions, Conditions.READY, Conditions.FALSE, REASON_BRIDGE_FAILED, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.PROGRESSING, waiting.isEmpty() ? Conditions.FALSE : Conditions.TRUE,
                    REASON_APPLYING, waiting.isEmpty() ? "" : "waiting for " + String.join(", ", waiting), generation, clock);
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.TRUE, REASON_BRIDGE_FAILED, msg, generation, clock);
            // the agents retry a bridge that failed
            conditions = Conditions.stand(conditions, Conditions.Standing.RECONCILING, REASON_BRIDGE_FAILED, msg, generation, clock);
        } else if (!waiting.isEmpty()) {
            String msg = "waiting for the agents of " + String.join(", ", waiting);
            conditions = Conditions.set(conditions, Conditions.READY, Conditions.FALSE, REASON_APPLYING, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.PROGRESSING, Conditions.TRUE, REASON_APPLYING, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.FALSE, REASON_NO_ERRORS, "", generation, clock);
            conditions = Conditions.stand(conditions, Conditions.Standing.RECONCILING, REASON_APPLYING, msg, generation, clock);
        } else {
            String msg = "bridge up on " + nodesReady + " node(s), " + portsReady + " port(s)";
            conditions = Conditions.set(conditions, Conditions.READY, Conditions.TRUE, REASON_READY, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.PROGRESSING, Conditions.FALSE, REASON_READY, "", generation, clock);
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.FALSE, REASON_NO_ERRORS, "", generation, clock);
            conditions = Conditions.stand(conditions, Conditions.Standing.SETTLED, REASON_READY, msg, generation, clock);
        }
        return DpdkBridgeStatus.builder().observedGeneration(generation).nodesReady(nodesReady).portsReady(portsReady)
                .nodes(nodes).conditions(conditions).build();
    }

    public static DpdkBridgeStatus invalid(long generation, String message, DpdkBridgeStatus previous, Clock clock) {
        List<Condition> conditions = previous == null ? List.of() : previous.getConditions();
        conditions = Conditions.set(conditions, Conditions.READY, Conditions.FALSE, REASON_INVALID_SPEC, message, generation, clock);
        conditions = Conditions.set(conditions, Conditions.PROGRESSING, Conditions.FALSE, REASON_INVALID_SPEC, message, generation, clock);
        conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.FALSE, REASON_NO_ERRORS, "", generation, clock);
        conditions = Conditions.stand(conditions, Conditions.Standing.STALLED, REASON_INVALID_SPEC, message, generation, clock);
        return DpdkBridgeStatus.builder().observedGeneration(generation).nodesReady(0).portsReady(0)
                .nodes(previous == null ? List.of() : previous.getNodes()).conditions(conditions).build();
    }
}
