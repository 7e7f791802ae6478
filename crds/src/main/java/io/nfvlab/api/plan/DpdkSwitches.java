package io.nfvlab.api.plan;

import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.expansion.TopologyGraph;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The DpdkBridges a topology's ovs-dpdk switches live on, as placement and planning need them: each switch runs only
 * where its DpdkBridge is built, and is that DpdkBridge's OVS bridge. Pure: the DpdkBridges are looked up by the
 * caller.
 */
public final class DpdkSwitches {
    public static final String PORT_PAIR_FLOWS = "DpdkBridgePortPairFlows";

    private final Map<String, DpdkBridge> bridgeOfSwitch;

    private DpdkSwitches(Map<String, DpdkBridge> bridgeOfSwitch) {
        this.bridgeOfSwitch = bridgeOfSwitch;
    }

    /**
     * @param lookup DpdkBridge name → the object, or null when there is none
     * @throws PlacementException when a DpdkBridge is missing (the topology waits for it), or forwards only between its
     *                            own port pairs (its flow table would drop every frame of the topology's ports)
     */
    public static DpdkSwitches of(TopologyGraph graph, Function<String, DpdkBridge> lookup) {
        Map<String, DpdkBridge> bridges = new TreeMap<>();
        for (TopologyGraph.Switch s : graph.switches()) {
            if (s.kind() != SwitchKind.OVS_DPDK) {
                continue;
            }
            DpdkBridge bridge = lookup.apply(s.bridgeRef());
            if (bridge == null || bridge.getSpec() == null || bridge.getMetadata().getDeletionTimestamp() != null) {
                throw new PlacementException(NodePlanner.DPDK_BRIDGE_NOT_FOUND, "switch " + s.name() + " lives on DpdkBridge "
                        + s.bridgeRef() + " (bridgeRef), which does not exist" + (bridge == null ? "" : " any more"));
            }
            FlowSpec flows = bridge.getSpec().getFlows();
            if (flows != null && flows.getMode() == FlowSpec.Mode.PORT_PAIRS) {
                throw new PlacementException(PORT_PAIR_FLOWS, "switch " + s.name() + ": DpdkBridge " + s.bridgeRef()
                        + " has flows mode port-pairs, which forwards only between its own port pairs and drops every frame "
                        + "of the topology's ports; give it flows mode normal (the default) or use another DpdkBridge");
            }
            bridges.put(s.name(), bridge);
        }
        return new DpdkSwitches(bridges);
    }

    /** The nodes each ovs-dpdk switch may run on: those its DpdkBridge is built on. */
    public Map<String, Set<String>> switchNodes(Collection<AgentNode> agentNodes) {
        Map<String, Set<String>> out = new TreeMap<>();
        bridgeOfSwitch.forEach((sw, bridge) -> out.put(sw, new TreeSet<>(BridgePlanner.nodes(bridge, agentNodes))));
        return out;
    }

    /** DpdkBridge name → its OVS bridge and socket directory, for {@link NodePlanner.Settings}. */
    public Map<String, NodePlanner.DpdkBridgeTarget> targets() {
        Map<String, NodePlanner.DpdkBridgeTarget> out = new TreeMap<>();
        bridgeOfSwitch.values().forEach(b -> out.put(b.getMetadata().getName(),
                new NodePlanner.DpdkBridgeTarget(b.getSpec().getBridgeName(), BridgePlanner.socketDir(b))));
        return out;
    }
}
