package io.nfvlab.operator.topology;

import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.topology.TopologyGraph;

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
 */
public final class Placement {
    public static final String NO_AGENT_NODES = "NoAgentNodes";
    public static final String NODE_UNAVAILABLE = "NodeUnavailable";

    private Placement() {
    }

    /**
     * @param previous the node each item was on (host or switch name → node); empty for a new topology
     * @return item name → node name, in the graph's order (hosts, then switches)
     */
    public static Map<String, String> place(TopologyGraph graph, PlacementSpec spec, List<AgentNode> agentNodes,
                                            Map<String, String> previous) {
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
        Map<String, String> kept = new HashMap<>();
        previous.forEach((item, node) -> {
            if (eligible.contains(node)) {
                kept.put(item, node);
            }
        });
        PlacementSpec.Strategy strategy = spec == null || spec.getStrategy() == null ? PlacementSpec.Strategy.PACK : spec.getStrategy();
        return switch (strategy) {
            case PACK -> pack(graph, nodes, kept);
            case SPREAD -> spread(graph, nodes, kept);
            case EXPLICIT -> explicit(graph, eligible, nodes);
        };
    }

    private static Map<String, String> pack(TopologyGraph graph, List<String> nodes, Map<String, String> kept) {
        String node = kept.values().stream()
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()))
                .entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey)
                .orElse(nodes.get(0));
        Map<String, String> result = new LinkedHashMap<>();
        graph.hosts().forEach(h -> result.put(h.name(), node));
        graph.switches().forEach(s -> result.put(s.name(), node));
        return result;
    }

    private static Map<String, String> spread(TopologyGraph graph, List<String> nodes, Map<String, String> kept) {
        Map<String, String> result = new LinkedHashMap<>();
        List<TopologyGraph.Host> hosts = graph.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            String name = hosts.get(i).name();
            result.put(name, kept.getOrDefault(name, nodes.get(i % nodes.size())));
        }
        placeSwitches(graph, nodes, kept, result);
        return result;
    }

    private static Map<String, String> explicit(TopologyGraph graph, Set<String> eligible, List<String> nodes) {
        Map<String, String> result = new LinkedHashMap<>();
        for (TopologyGraph.Host h : graph.hosts()) {
            requireEligible(h.node(), "spec.hosts[" + h.name() + "].node", eligible);
            result.put(h.name(), h.node());
        }
        Map<String, String> named = new HashMap<>();
        for (TopologyGraph.Switch s : graph.switches()) {
            if (s.node() != null) {
                requireEligible(s.node(), "spec.switches[" + s.name() + "].node", eligible);
                named.put(s.name(), s.node());
            }
        }
        placeSwitches(graph, nodes, named, result);
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
                                      Map<String, String> result) {
        List<String> pending = new ArrayList<>();
        for (TopologyGraph.Switch s : graph.switches()) {
            String node = fixed.get(s.name());
            if (node == null) {
                node = majority(graph, s.name(), result, true, nodes);
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
                String node = majority(graph, sw, result, false, nodes);
                if (node != null) {
                    result.put(sw, node);
                    it.remove();
                    progress = true;
                }
            }
        }
        pending.forEach(sw -> result.put(sw, nodes.get(0)));
        // keep the graph's order: hosts then switches
        Map<String, String> ordered = new LinkedHashMap<>();
        graph.hosts().forEach(h -> ordered.put(h.name(), result.get(h.name())));
        graph.switches().forEach(s -> ordered.put(s.name(), result.get(s.name())));
        result.clear();
        result.putAll(ordered);
    }

    private static String majority(TopologyGraph graph, String sw, Map<String, String> placed, boolean hostsOnly,
                                   List<String> nodes) {
        Map<String, Integer> votes = new HashMap<>();
        for (TopologyGraph.Link l : graph.links()) {
            TopologyGraph.Port other = l.a().node().equals(sw) ? l.b() : l.b().node().equals(sw) ? l.a() : null;
            if (other == null || other.host() != hostsOnly) {
                continue;
            }
            String node = placed.get(other.node());
            if (node != null) {
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
