package io.nfvlab.agent.testing;

import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.plan.AgentNode;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.plan.NodePlanner;
import io.nfvlab.api.plan.NodeStateShards;
import io.nfvlab.api.topology.VirtualTopologySpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole topology planned onto one node by the operator's own {@link NodePlanner}, as the NetworkNodeState the agent
 * would receive: agent tests and benchmarks exercise the real plan without an operator or an API server.
 */
public final class OneNodePlans {
    private OneNodePlans() {
    }

    /** The state for topology {@code name} in namespace default (its owner token derived from that) on {@code node}. */
    public static NetworkNodeState state(String name, String node, VirtualTopologySpec topology) {
        return state(name, node, topology, Map.of());
    }

    /** As {@link #state(String, String, VirtualTopologySpec)}, with the DpdkBridges its ovs-dpdk switches live on, by name. */
    public static NetworkNodeState state(String name, String node, VirtualTopologySpec topology,
                                         Map<String, NodePlanner.DpdkBridgeTarget> dpdkBridges) {
        return state(name, node, topology, dpdkBridges, KernelNames.token("VirtualTopology", "default", name));
    }

    /** As above, with the token the operator allocated (one of the owner's {@link KernelNames#tokenCandidates}). */
    public static NetworkNodeState state(String name, String node, VirtualTopologySpec topology,
                                         Map<String, NodePlanner.DpdkBridgeTarget> dpdkBridges, String token) {
        OwnerRef owner = OwnerRef.builder().kind("VirtualTopology").namespace("default").name(name)
                .token(token).generation(1L).build();
        TopologyGraph graph = TopologyExpander.expand(topology);
        Map<String, String> placement = new LinkedHashMap<>();
        graph.hosts().forEach(h -> placement.put(h.name(), node));
        graph.switches().forEach(s -> placement.put(s.name(), node));
        NodePlanner.Settings settings = NodePlanner.Settings.defaults()
                .withStaticArp(Boolean.TRUE.equals(topology.getStaticArp()))
                .withDpdkBridges(dpdkBridges);
        var plan = NodePlanner.plan(graph, placement, owner, Map.of(node, new AgentNode(node,
                Map.of(Nfvlab.CONTAINER_RUNTIME_LABEL, "podman"), null)), Map.of(), settings);
        NetworkNodeState s = new NetworkNodeState();
        s.getMetadata().setName(KernelNames.nodeStateName("VirtualTopology", "default", name, node));
        s.getMetadata().setLabels(new HashMap<>(Map.of(Nfvlab.NODE_LABEL, node)));
        // an empty topology plans nothing (the operator would publish no state); tests still want its owner and token
        s.setSpec(plan.getOrDefault(node, NetworkNodeStateSpec.builder().nodeName(node).owner(owner).build()));
        return s;
    }

    /** The parts the operator would publish for {@code whole} on {@code node} with a budget of {@code budget} bytes. */
    public static List<NetworkNodeState> parts(NetworkNodeState whole, String node, int budget) {
        List<NetworkNodeStateSpec> specs = NodeStateShards.split(whole.getSpec(), budget);
        List<NetworkNodeState> parts = new ArrayList<>();
        OwnerRef owner = whole.getSpec().getOwner();
        for (int i = 0; i < specs.size(); i++) {
            NetworkNodeState part = new NetworkNodeState();
            part.getMetadata().setName(KernelNames.nodeStateName(owner.getKind(), owner.getNamespace(), owner.getName(), node, i));
            part.getMetadata().setLabels(new HashMap<>(whole.getMetadata().getLabels()));
            part.setSpec(specs.get(i));
            parts.add(part);
        }
        return parts;
    }
}
