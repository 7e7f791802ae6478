package io.nfvlab.api.plan;

import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedDpdkBridge;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** DpdkBridge + agent nodes → the dpdkBridges section of each selected node's state. Pure. */
public final class BridgePlanner {
    /** Root of the per-bridge vhost-user socket directories on a node. */
    public static final String SOCKET_ROOT = "/var/run/nfvlab/dpdk";

    private BridgePlanner() {
    }

    /** The directory on each node holding the vhost-user sockets of the bridge's ports (and of vhostUser hosts on it). */
    public static String socketDir(DpdkBridge bridge) {
        return SOCKET_ROOT + "/" + bridge.getSpec().getBridgeName();
    }

    /** The agent nodes the bridge is built on. */
    public static java.util.Set<String> nodes(DpdkBridge bridge, Collection<AgentNode> nodes) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        nodes.stream().filter(n -> n.matches(bridge.getSpec().getNodeSelector())).forEach(n -> out.add(n.name()));
        return out;
    }

    public static Map<String, NetworkNodeStateSpec> plan(DpdkBridge bridge, OwnerRef owner, Collection<AgentNode> nodes) {
        Map<String, NetworkNodeStateSpec> plan = new TreeMap<>();
        PlannedDpdkBridge planned = PlannedDpdkBridge.builder()
                .name(bridge.getMetadata().getName())
                .socketDir(socketDir(bridge))
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
