package io.nfvlab.cli.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Graphviz DOT: one {@code cluster_} subgraph per Kubernetes node, hosts as rounded boxes filled by state, switches
 * as plain boxes, VXLAN links dashed, down links red and labelled "down", impairments as edge labels. Every name is
 * a quoted DOT ID (escaped), so no topology string is read as DOT syntax.
 */
public final class DotRenderer {
    static final Map<TopologyPicture.HostState, String> FILL = Map.of(
            TopologyPicture.HostState.DECLARED, "white",
            TopologyPicture.HostState.PENDING, "#fff3b0",
            TopologyPicture.HostState.READY, "#c8f0c8",
            TopologyPicture.HostState.FAILED, "#f4b0b0");

    private DotRenderer() {
    }

    public static String render(TopologyPicture picture) {
        StringBuilder dot = new StringBuilder();
        dot.append("graph ").append(id(picture.name())).append(" {\n");
        dot.append("  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=")
                .append(id("VirtualTopology " + picture.name())).append("];\n");
        dot.append("  node [fontname=\"Helvetica\", fontsize=11];\n");
        dot.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        int cluster = 0;
        for (String kubeNode : picture.kubeNodes()) {
            dot.append("  subgraph ").append(id("cluster_" + cluster++)).append(" {\n");
            dot.append("    label=").append(id("node " + kubeNode)).append(";\n");
            dot.append("    style=\"rounded,dashed\"; color=\"#7f7f7f\";\n");
            nodes(dot, "    ", picture.nodes().stream().filter(n -> kubeNode.equals(n.kubeNode())).toList());
            dot.append("  }\n");
        }
        nodes(dot, "  ", picture.nodes().stream().filter(n -> n.kubeNode() == null).toList());
        Map<String, Integer> order = new HashMap<>();
        picture.nodes().forEach(n -> order.putIfAbsent(n.name(), order.size()));
        for (TopologyPicture.Edge e : picture.edges()) {
            // dot ranks an undirected edge from its first end: the end declared first goes first, so that s1 … sN
            // of a chain read left to right although Mininet writes those links "s2 -- s1"
            boolean flip = order.get(e.b()) < order.get(e.a());
            String tail = flip ? e.b() : e.a();
            String head = flip ? e.a() : e.b();
            dot.append("  ").append(id(tail)).append(" -- ").append(id(head)).append(" [");
            dot.append("tooltip=").append(id(e.aInterface() + " - " + e.bInterface()));
            String label = e.down() ? ("down " + e.impairments()).strip() : e.impairments();
            if (!label.isEmpty()) {
                dot.append(", label=").append(id(label));
            }
            if (e.vxlan()) {
                dot.append(", style=dashed");
            }
            if (e.down()) {
                dot.append(", color=red, fontcolor=red");
            }
            dot.append("];\n");
        }
        dot.append("}\n");
        return dot.toString();
    }

    private static void nodes(StringBuilder dot, String indent, List<TopologyPicture.Node> nodes) {
        for (TopologyPicture.Node n : nodes) {
            dot.append(indent).append(id(n.name())).append(" [");
            if (n.host()) {
                dot.append("shape=box, style=\"rounded,filled\", fillcolor=").append(id(FILL.get(n.state())))
                        .append(", label=").append(id(n.name() + "\n" + n.address()))
                        .append(", tooltip=").append(id(n.name() + " " + n.state().name().toLowerCase(java.util.Locale.ROOT)));
            } else {
                dot.append("shape=box, style=filled, fillcolor=\"#dde6f5\", label=").append(id(n.name()));
            }
            dot.append("];\n");
        }
    }

    /** A quoted DOT ID: backslash and double quote escaped, a newline as DOT's centred line break. */
    static String id(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
