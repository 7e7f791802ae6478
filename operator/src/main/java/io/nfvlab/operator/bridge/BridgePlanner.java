package io.nfvlab.operator.bridge;

import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.operator.topology.AgentNode;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** DpdkBridge + agent nodes → the dpdkBridges section of each selected node's state. Pure. */
public final class BridgePlanner {
    /** Root of the per-bridge vhost-user socket directories on a node. */
    public static final String SOCKET_ROOT = "/var/run/nfvlab/dpdk";

    private BridgePlanner() {
    }

    public static Map<String, NetworkNodeStateSpec> plan(DpdkBridge bridge, OwnerRef owner, Collection<AgentNode> nodes) {
        Map<String, NetworkNodeStateSpec> plan = new TreeMap<>();
        PlannedDpdkBridge planned = PlannedDpdkBridge.builder()
                .name(bridge.getMetadata().getName())
                .socketDir(SOCKET_ROOT + "/" + bridge.getSpec().getBridgeName())
                .spec(bridge.getSpec())
                .build();
        for (AgentNode node : nodes) {
            if (node.matches(bridge.getSpec().getNodeSelector())) {
                plan.put(node.name(), NetworkNodeStateSpec.builder()
                        .nodeName(node.name())
                        .owner(owner)
                        .dpdkBridge(planned)
                        .build());
            }
        }
        return plan;
    }
}
