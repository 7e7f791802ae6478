package io.nfvlab.api.plan;

import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.expansion.TopologyGraph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts every host and switch of a topology on an agent node. Pure and deterministic: the same graph, nodes and
 * previous placement give the same result. Items keep the node they were on while it stays eligible, so a new node
 * joining the cluster does not move running hosts.
 * <ul>
 *   <li>pack (default): everything on one node (the one most items were on before, else the first by name)</li>
 *   <li>spread: hosts round-robin over the nodes sorted by name; each switch on the node of most of its hosts</li>
 *   <li>explicit: every host names its node; a switch without a node goes with most of its hosts</li>
 * </ul>
 * An ovs-dpdk switch runs only where its DpdkBridge is built; a vhostUser host is a port of its switch's bridge and
 * runs where that switch does (and casts no vote for where switches go).
 */
public final class Placement {
    public static final String NO_AGENT_NODES = "NoAgentNodes";
    public static final String NODE_UNAVAILABLE = "NodeUnavailable";
    public static final String NO_DPDK_BRIDGE_NODE = "NoDpdkBridgeNode";
    /** A referenced pod runs on a node without a live agent (or outside the node selector). */
    public static final String POD_NODE_UNAVAILABLE = "PodNodeUnavailable";

    private Placement() {
    }

    /**
     * @param previous the node each item was on (host or switch name → node); empty for a new topology
     * @return item name → node name, in the graph's order (hosts, then switches)
     */
    public static Map<String, String> place(TopologyGraph graph, PlacementSpec spec, List<AgentNode> agentNodes,
                                            Map<String, String> previous) {
        return place(graph, spec, agentNodes, previous, Map.of());
    }

    /**
     * @param switchNodes for switches that may not run everywhere (ovs-dpdk: where their DpdkBridge is built), the nodes
     *                    they may run on; other switches run on any eligible node
     */
    public static Map<String, String> place(TopologyGraph graph, PlacementSpec spec, List<AgentNode> agentNodes,
                                            Map<String, String> previous, Map<String, Set<String>> switchNodes) {
        return place(graph, spec, agentNodes, previous, switchNodes, Map.of());
    }

    /**
     * @param pinnedHosts hosts that can only be where they already run (a referenced pod: where the cluster scheduled
     *                    it), host name → node; every strategy keeps them there, and pack puts the rest with most of
     *                    them
     */
    public static Map<String, String> place(TopologyGraph graph, PlacementSpec spec, List<AgentNode> agentNodes,
                                            Map<String, String> previous, Map<String, Set<String>> switchNodes,
                                            Map<String, String> pinnedHosts) {
        Map<String, String> selector = spec == null ? null : spec.getNodeSelector();
        List<String> nodes = agentNodes.stream()
                .filter(n -> n.matches(selector))
                .map(AgentNode::name)
                .sorted()
                .toList();
        if (nodes.isEmpty()) {
            throw new PlacementException(NO_AGENT_NODES, "no node runs a ready nfvlab agent"
                    + (selector == null || selector.isEmpty() ? "" : " and matches spec.placement.nodeSelector " + selector));
        }
        Set<String> eligible = Set.copyOf(nodes);
        new java.util.TreeMap<>(pinnedHosts).forEach((host, node) -> {
            if (!eligible.contains(node)) {
                throw new PlacementException(POD_NODE_UNAVAILABLE, "host " + host + " is a referenced pod that runs on node "
                        + node + ", which does not run a ready nfvlab agent" + (selector == null || selector.isEmpty() ? ""
                        : " or does not match spec.placement.nodeSelector " + selector));
            }
        });
        Map<String, String> kept = new HashMap<>();
        previous.forEach((item, node) -> {
            if (eligible.contains(node)) {
                kept.put(item, node);
            }
        });
        Map<String, List<String>> allowed = new HashMap<>();
        switchNodes.forEach((sw, ok) -> {
            List<String> here = nodes.stream().filter(ok::contains).toList();
            if (here.isEmpty()) {
                throw new PlacementException(NO_DPDK_BRIDGE_NODE, "switch " + sw + " runs only where its DpdkBridge is built, "
                        + "and no such node runs a ready nfvlab agent" + (selector == null || selector.isEmpty() ? ""
                        : " and matches spec.placement.nodeSelector " + selector) + " (DpdkBridge nodes: " + ok.stream().sorted().toList() + ")");
            }
            allowed.put(sw, here);
        });
        PlacementSpec.Strategy strategy = spec == null || spec.getStrategy() == null ? PlacementSpec.Strategy.PACK : spec.getStrategy();
        Map<String, String> result = switch (strategy) {
            case PACK -> pinned(pack(graph, nodes, packedWithPins(kept, pinnedHosts), allowed), pinnedHosts);
            case SPREAD -> spread(graph, nodes, withPins(kept, pinnedHosts), allowed);
            case EXPLICIT -> explicit(graph, eligible, nodes, allowed, pinnedHosts);
        };
        vhostUserHostsFollowTheirSwitch(graph, result, strategy == PlacementSpec.Strategy.EXPLICIT);
        Map<String, String> ordered = new LinkedHashMap<>();
        graph.hosts().forEach(h -> ordered.put(h.name(), result.get(h.name())));
        graph.switches().forEach(sw -> ordered.put(sw.name(), result.get(sw.name())));
        return ordered;
    }

    /** A vhostUser host is a port of its switches' bridges: it goes to their node, which must be one. */
    private static void vhostUserHostsFollowTheirSwitch(TopologyGraph graph, Map<String, String> result, boolean explicit) {
        for (TopologyGraph.Host h : graph.hosts()) {
            if (!h.vhostUser()) {
                continue;
            }
            List<String> switchNodes = graph.linksOf(h.name()).stream()
                    .map(l -> l.a().node().equals(h.name()) ? l.b().node() : l.a().node())
                    .map(result::get).distinct().toList();
            if (switchNodes.size() != 1) {
                throw new PlacementException(NODE_UNAVAILABLE, "vhostUser host " + h.name() + " is a port of its switches' "
                        + "bridges, which were placed on different nodes " + switchNodes + ": put them on one node");
            }
            String node = switchNodes.get(0);
            if (explicit && !node.equals(h.node())) {
                throw new PlacementException(NODE_UNAVAILABLE, "spec.hosts[" + h.name() + "].node: vhostUser host " + h.name()
                        + " runs where its switch runs (" + node + "), not on " + h.node());
            }
            result.put(h.name(), node);
        }
    }

    private static boolean isVhostUserHost(TopologyGraph graph, String name) {
        return graph.host(name).map(TopologyGraph.Host::vhostUser).orElse(false);
    }

    private static Map<String, String> pack(TopologyGraph graph, List<String> nodes, Map<String, String> kept,
                                            Map<String, List<String>> allowed) {
        List<String> candidates = nodes.stream().filter(n -> allowed.values().stream().allMatch(a -> a.contains(n))).toList();
        if (candidates.isEmpty()) {
            throw new PlacementException(NO_DPDK_BRIDGE_NODE, "placement pack puts every switch on one node, and the DpdkBridges "
                    + "of the ovs-dpdk switches are built on no common node: " + new java.util.TreeMap<>(allowed)
                    + "; use placement spread or explicit");
        }
        String node = kept.values().stream()
                .filter(candidates::contains)
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()))
                .entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey)
                .orElse(candidates.get(0));
        Map<String, String> result = new LinkedHashMap<>();
        graph.hosts().forEach(h -> result.put(h.name(), node));
        graph.switches().forEach(s -> result.put(s.name(), node));
        return result;
    }

    private static Map<String, String> spread(TopologyGraph graph, List<String> nodes, Map<String, String> kept,
                                              Map<String, List<String>> allowed) {
        Map<String, String> result = new LinkedHashMap<>();
        List<TopologyGraph.Host> hosts = graph.hosts().stream().filter(h -> !h.vhostUser()).toList();
        for (int i = 0; i < hosts.size(); i++) {
            String name = hosts.get(i).name();
            result.put(name, kept.getOrDefault(name, nodes.get(i % nodes.size())));
        }
        Map<String, String> fixed = new HashMap<>(kept);
        fixed.entrySet().removeIf(e -> allowed.containsKey(e.getKey()) && !allowed.get(e.getKey()).contains(e.getValue()));
        placeSwitches(graph, nodes, fixed, result, allowed);
        return result;
    }

    private static Map<String, String> withPins(Map<String, String> kept, Map<String, String> pins) {
        Map<String, String> out = new HashMap<>(kept);
        out.putAll(pins);
        return out;
    }

    /** For pack: the pinned hosts outvote where the others were before, so the rest joins the referenced pods. */
    private static Map<String, String> packedWithPins(Map<String, String> kept, Map<String, String> pins) {
        return pins.isEmpty() ? kept : new HashMap<>(pins);
    }

    private static Map<String, String> pinned(Map<String, String> result, Map<String, String> pins) {
        pins.forEach((host, node) -> {
            if (result.containsKey(host)) {
                result.put(host, node);
            }
        });
        return result;
    }

    private static Map<String, String> explicit(TopologyGraph graph, Set<String> eligible, List<String> nodes,
                                                Map<String, List<String>> allowed, Map<String, String> pins) {
        Map<String, String> result = new LinkedHashMap<>();
        for (TopologyGraph.Host h : graph.hosts()) {
            String pin = pins.get(h.name());
            if (pin != null) {
                if (h.node() != null && !h.node().equals(pin)) {
                    throw new PlacementException(NODE_UNAVAILABLE, "spec.hosts[" + h.name() + "].node: host " + h.name()
                            + " is a referenced pod that runs on " + pin + ", not on " + h.node());
                }
                result.put(h.name(), pin);
                continue;
            }
            requireEligible(h.node(), "spec.hosts[" + h.name() + "].node", eligible);
            if (!h.vhostUser()) {
                result.put(h.name(), h.node());
            }
        }
        Map<String, String> named = new HashMap<>();
        for (TopologyGraph.Switch s : graph.switches()) {
            if (s.node() != null) {
                requireEligible(s.node(), "spec.switches[" + s.name() + "].node", eligible);
                if (allowed.containsKey(s.name()) && !allowed.get(s.name()).contains(s.node())) {
                    throw new PlacementException(NO_DPDK_BRIDGE_NODE, "spec.switches[" + s.name() + "].node: the DpdkBridge of "
                            + s.name() + " is not built on " + s.node() + " (it is on " + allowed.get(s.name()) + ")");
                }
                named.put(s.name(), s.node());
            }
        }
        placeSwitches(graph, nodes, named, result, allowed);
        return result;
    }

    private static void requireEligible(String node, String field, Set<String> eligible) {
        if (node == null) {
            throw new PlacementException(NODE_UNAVAILABLE, field + ": placement strategy explicit needs a node");
        }
        if (!eligible.contains(node)) {
            throw new PlacementException(NODE_UNAVAILABLE, field + ": node " + node
                    + " does not run a ready nfvlab agent or does not match spec.placement.nodeSelector");
        }
    }

    /**
     * Each switch goes where most of its directly linked hosts are (ties: the first such node by name); switches
     * without hosts follow most of their already placed neighbour switches, in passes, and finally the first node.
     */
    private static void placeSwitches(TopologyGraph graph, List<String> nodes, Map<String, String> fixed,
                                      Map<String, String> result, Map<String, List<String>> allowed) {
        List<String> pending = new ArrayList<>();
        for (TopologyGraph.Switch s : graph.switches()) {
            String node = fixed.get(s.name());
            if (node == null) {
                node = majority(graph, s.name(), result, true, allowed.getOrDefault(s.name(), nodes));
            }
            if (node == null) {
                pending.add(s.name());
            } else {
                result.put(s.name(), node);
            }
        }
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                String sw = it.next();
                String node = majority(graph, sw, result, false, allowed.getOrDefault(sw, nodes));
                if (node != null) {
                    result.put(sw, node);
                    it.remove();
                    progress = true;
                }
            }
        }
        pending.forEach(sw -> result.put(sw, allowed.getOrDefault(sw, nodes).get(0)));
        // keep the graph's order: hosts then switches
        Map<String, String> ordered = new LinkedHashMap<>();
        graph.hosts().stream().filter(h -> result.containsKey(h.name())).forEach(h -> ordered.put(h.name(), result.get(h.name())));
        graph.switches().forEach(s -> ordered.put(s.name(), result.get(s.name())));
        result.clear();
        result.putAll(ordered);
    }

    /** The node most of the switch's placed neighbours (hosts, or switches) are on, among {@code nodes}; null for none. */
    private static String majority(TopologyGraph graph, String sw, Map<String, String> placed, boolean hostsOnly,
                                   List<String> nodes) {
        Map<String, Integer> votes = new HashMap<>();
        for (TopologyGraph.Link l : graph.linksOf(sw)) {
            TopologyGraph.Port other = l.a().node().equals(sw) ? l.b() : l.a();
            if (other.host() != hostsOnly || isVhostUserHost(graph, other.node())) {
                continue;
            }
            String node = placed.get(other.node());
            if (node != null && nodes.contains(node)) {
                votes.merge(node, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(e -> -nodes.indexOf(e.getKey())))
                .map(Map.Entry::getKey)
                .filter(Objects::nonNull)
                .orElse(null);
    }
}
