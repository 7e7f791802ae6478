package io.nfvlab.cli;

import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.expansion.LinkProfiles;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A topology as Mininet's commands show it: its shape (names, ports, addresses, link parameters) expanded from the
 * spec and the LinkProfile values its status lists as in force, joined with where the operator placed each host and which namespace realizes it, as the topology's status
 * says, and which bridge device realizes each switch, as its node states say. Nothing here derives a kernel name.
 */
public record TopologyView(String name, String namespace, TopologyGraph graph, Map<String, Placed> placed,
                           VirtualTopologyStatus status) {

    /**
     * Where a host or switch lives: its Kubernetes node and its namespace (hosts) or bridge device (switches), and a
     * host's MAC and bare address.
     */
    public record Placed(String node, String netns, String device, String mac, String address) {
    }

    public static TopologyView of(VirtualTopology topology, List<NetworkNodeState> states) {
        VirtualTopologyStatus status = topology.getStatus();
        TopologyGraph graph = TopologyExpander.expand(topology.getSpec(), profilesInForce(topology));
        Map<String, Placed> placed = new LinkedHashMap<>();
        if (status != null && status.getHostAddresses() != null) {
            for (VirtualTopologyStatus.HostStatus h : status.getHostAddresses()) {
                placed.put(h.getName(), new Placed(h.getNode(), h.getNetns(), null, h.getMac(), h.getAddress()));
            }
        }
        for (NetworkNodeState state : states) {
            if (state.getSpec() == null) {
                continue;
            }
            for (PlannedSwitch s : state.getSpec().switchesOrEmpty()) {
                placed.put(s.getName(), new Placed(state.getSpec().getNodeName(), null, s.getDevice(), null, null));
            }
        }
        return new TopologyView(topology.getMetadata().getName(), topology.getMetadata().getNamespace(), graph,
                placed, status);
    }

    /** The LinkProfile values the operator last planned with, as the status lists them (none for a file). */
    private static LinkProfiles profilesInForce(VirtualTopology topology) {
        VirtualTopologyStatus status = topology.getStatus();
        if (status == null || status.getProfiles() == null || topology.getSpec() == null) {
            return LinkProfiles.none();
        }
        Map<String, LinkParams> values = new HashMap<>();
        status.getProfiles().forEach(p -> values.put(p.getName(), p.getValues()));
        return LinkProfiles.of(topology.getSpec(), values);
    }

    public Optional<Placed> placement(String node) {
        return Optional.ofNullable(placed.get(node));
    }

    public List<String> hostNames() {
        return graph.hosts().stream().map(TopologyGraph.Host::name).toList();
    }

    /** The interfaces of a node in port order, each with the interface at the other end of its link. */
    public List<Port> ports(String node) {
        List<Port> ports = new ArrayList<>();
        for (TopologyGraph.Link l : graph.links()) {
            if (l.a().node().equals(node)) {
                ports.add(new Port(l.a(), l.b(), l));
            } else if (l.b().node().equals(node)) {
                ports.add(new Port(l.b(), l.a(), l));
            }
        }
        ports.sort((x, y) -> Integer.compare(x.self().port(), y.self().port()));
        return ports;
    }

    public record Port(TopologyGraph.Port self, TopologyGraph.Port peer, TopologyGraph.Link link) {
    }

    /** "up" or "down" as the spec wants the link. */
    public static String state(LinkParams params) {
        return params != null && params.isDown() ? "down" : "up";
    }

    /** Mininet's TCLink summary: "10.00Mbit 5ms delay 1.0% loss"; empty for a plain link. */
    public static String describe(LinkParams p) {
        if (p == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (p.getBandwidthMbps() != null) parts.add(String.format(java.util.Locale.ROOT, "%.2fMbit", p.getBandwidthMbps()));
        if (p.getDelay() != null) parts.add(p.getDelay() + " delay");
        if (p.getJitter() != null) parts.add(p.getJitter() + " jitter");
        if (p.getLossPercent() != null) parts.add(String.format(java.util.Locale.ROOT, "%.1f%% loss", p.getLossPercent()));
        if (p.getMaxQueueSize() != null) parts.add("queue " + p.getMaxQueueSize());
        if (p.getMtu() != null) parts.add("mtu " + p.getMtu());
        return String.join(" ", parts);
    }
}
