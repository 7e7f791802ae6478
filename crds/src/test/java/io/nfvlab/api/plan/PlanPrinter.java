package io.nfvlab.api.plan;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Plans a fixture the way the reconciler does, for the golden-file tests (and to print a new golden file); its agent
 * nodes and placement are shared with the operator's tests through this module's test-jar.
 */
public final class PlanPrinter {
    public static final Map<String, AgentNode> NODES = Map.of(
            "node-a", new AgentNode("node-a", Map.of(), "192.168.77.1"),
            "node-b", new AgentNode("node-b", Map.of(), "192.168.77.2"));

    public static VirtualTopology fixture(String name) {
        InputStream in = PlanPrinter.class.getResourceAsStream("/topologies/" + name + ".yaml");
        return Serialization.unmarshal(in, VirtualTopology.class);
    }

    public static String planYaml(VirtualTopology vt) {
        TopologyGraph graph = TopologyExpander.expand(vt.getSpec());
        Map<String, String> placement = Placement.place(graph, vt.getSpec().getPlacement(), List.copyOf(NODES.values()), Map.of());
        String token = KernelNames.token("VirtualTopology", vt.getMetadata().getNamespace(), vt.getMetadata().getName());
        OwnerRef owner = OwnerRef.builder().kind("VirtualTopology").namespace(vt.getMetadata().getNamespace())
                .name(vt.getMetadata().getName()).uid("uid-1").generation(1L).token(token).build();
        Map<String, Integer> vnis = VniAllocator.allocate(token, NodePlanner.crossNodeLinks(graph, placement), Map.of(), java.util.Set.of());
        return Serialization.asYaml(NodePlanner.plan(graph, placement, owner, NODES, vnis,
                NodePlanner.Settings.defaults().withStaticArp(Boolean.TRUE.equals(vt.getSpec().getStaticArp()))));
    }

    /** Placement that spreads hosts over the agent nodes. */
    public static io.nfvlab.api.topology.PlacementSpec spread() {
        return io.nfvlab.api.topology.PlacementSpec.builder().strategy(io.nfvlab.api.topology.PlacementSpec.Strategy.SPREAD).build();
    }

    /** The owner of a topology {@code name} in namespace lab. */
    public static OwnerRef owner(String name) {
        return OwnerRef.builder().kind("VirtualTopology").namespace("lab").name(name).uid("u").generation(1L)
                .token(KernelNames.token("VirtualTopology", "lab", name)).build();
    }

    public static void main(String[] args) {
        System.out.print(planYaml(fixture(args[0])));
    }
}
