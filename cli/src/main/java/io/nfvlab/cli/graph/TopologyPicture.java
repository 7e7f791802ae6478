package io.nfvlab.cli.graph;

import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.cli.TopologyView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code nfvlab graph} draws, in the same terms for every output format: the expanded topology (built-ins
 * included), each node with the Kubernetes node it runs on and, for hosts, their state; each link with its
 * impairments, whether it is down and whether it crosses Kubernetes nodes (a VXLAN tunnel).
 *
 * <p>The Kubernetes node is the one the status reports (hosts) or the node state plans (switches); without a status
 * it is the node the spec pins, else none. A link is VXLAN when its two ends are known to be on different nodes.
 */
public record TopologyPicture(String name, List<Node> nodes, List<Edge> edges) {

    /** A host's state as its status says: without a status (drawn from a file) it is only declared. */
    public enum HostState {
        /** No status: drawn from the spec alone. */
        DECLARED,
        /** Not placed yet, or its node's agent has not applied the current plan. */
        PENDING,
        /** Its node's agent applied the current plan. */
        READY,
        /** Its node's agent reports errors (the status names nodes, not hosts: every host there is drawn failed). */
        FAILED
    }

    /** A host or switch; {@code kubeNode} null when unknown, {@code state} null for a switch. */
    public record Node(String name, boolean host, String address, String kubeNode, HostState state) {
    }

    /** A link between two nodes, ends named by their Mininet interfaces; {@code impairments} empty for a plain link. */
    public record Edge(String a, String aInterface, String b, String bInterface, String impairments, boolean down,
                       boolean vxlan) {
    }

    public static TopologyPicture of(TopologyView view) {
        TopologyGraph graph = view.graph();
        VirtualTopologyStatus status = view.status();
        Map<String, VirtualTopologyStatus.NodeSummary> summaries = new HashMap<>();
        if (status != null && status.getNodes() != null) {
            status.getNodes().forEach(s -> summaries.put(s.getNode(), s));
        }
        List<Node> nodes = new ArrayList<>();
        Map<String, String> kubeNodeOf = new HashMap<>();
        for (TopologyGraph.Host h : graph.hosts()) {
            String kubeNode = view.placement(h.name()).map(TopologyView.Placed::node).orElse(h.node());
            kubeNodeOf.put(h.name(), kubeNode);
            nodes.add(new Node(h.name(), true, h.address(), kubeNode, hostState(status, view, h.name(), summaries)));
        }
        for (TopologyGraph.Switch s : graph.switches()) {
            String kubeNode = view.placement(s.name()).map(TopologyView.Placed::node).orElse(s.node());
            kubeNodeOf.put(s.name(), kubeNode);
            nodes.add(new Node(s.name(), false, null, kubeNode, null));
        }
        List<Edge> edges = new ArrayList<>();
        for (TopologyGraph.Link l : graph.links()) {
            String na = kubeNodeOf.get(l.a().node());
            String nb = kubeNodeOf.get(l.b().node());
            boolean vxlan = na != null && nb != null && !na.equals(nb);
            edges.add(new Edge(l.a().node(), l.a().interfaceName(), l.b().node(), l.b().interfaceName(),
                    TopologyView.describe(l.params()), "down".equals(TopologyView.state(l.params())), vxlan));
        }
        return new TopologyPicture(view.name(), List.copyOf(nodes), List.copyOf(edges));
    }

    private static HostState hostState(VirtualTopologyStatus status, TopologyView view, String host,
                                       Map<String, VirtualTopologyStatus.NodeSummary> summaries) {
        if (status == null) {
            return HostState.DECLARED;
        }
        String kubeNode = view.placement(host).map(TopologyView.Placed::node).orElse(null);
        if (kubeNode == null) {
            return HostState.PENDING;
        }
        // the aggregated status names the nodes whose agents report errors ("node X: item: message"), not the hosts
        boolean nodeErrors = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> Conditions.DEGRADED.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus())
                        && c.getMessage() != null && c.getMessage().contains("node " + kubeNode + ": "));
        if (nodeErrors) {
            return HostState.FAILED;
        }
        VirtualTopologyStatus.NodeSummary summary = summaries.get(kubeNode);
        return summary != null && Boolean.TRUE.equals(summary.getSynced()) ? HostState.READY : HostState.PENDING;
    }

    /** The Kubernetes nodes in first-use order; nodes without one are left out. */
    public Set<String> kubeNodes() {
        Set<String> all = new LinkedHashSet<>();
        nodes.forEach(n -> {
            if (n.kubeNode() != null) {
                all.add(n.kubeNode());
            }
        });
        return all;
    }
}
