package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.node.NetworkNodeState;

import java.util.List;

/** Realizes the dpdkBridges section of a NetworkNodeState in OVS-DPDK; called by the agent's reconciler. */
public interface DpdkBridges {
    /** Makes OVS match the planned bridges and ports (idempotently) and returns their per-bridge status. */
    List<NodeBridgeStatus> sync(NetworkNodeState state);

    /** Removes every bridge, port, socket and flow created for this state. */
    void teardown(NetworkNodeState state);

    /**
     * Removes what was built on this node for owners that no longer have a node state (a crash, a missed delete) and
     * returns their tokens. Only objects marked with this node's name are considered: the OVS may be shared.
     */
    default java.util.Set<String> sweepOrphans(String nodeName, java.util.Set<String> liveTokens) {
        return java.util.Set.of();
    }
}
