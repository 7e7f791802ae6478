package io.nfvlab.cli.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mermaid flowchart (renders in GitHub and GitLab Markdown): a subgraph per Kubernetes node, dotted edges for VXLAN,
 * red ({@code linkStyle}) for down links, impairments as edge labels, a class per host state. Nodes get generated ids
 * (n0, n1, …) and names appear only in quoted labels, with {@code "} written as Mermaid's {@code #quot;}.
 */
public final class MermaidRenderer {
    private MermaidRenderer() {
    }

    public static String render(TopologyPicture picture) {
        Map<String, String> ids = new HashMap<>();
        List<TopologyPicture.Node> nodes = picture.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            ids.put(nodes.get(i).name(), "n" + i);
        }
        StringBuilder md = new StringBuilder("flowchart LR\n");
        int cluster = 0;
        for (String kubeNode : picture.kubeNodes()) {
            md.append("  subgraph k").append(cluster++).append("[").append(label("node " + kubeNode)).append("]\n");
            nodes.stream().filter(n -> kubeNode.equals(n.kubeNode())).forEach(n -> node(md, "    ", ids, n));
            md.append("  end\n");
        }
        nodes.stream().filter(n -> n.kubeNode() == null).forEach(n -> node(md, "  ", ids, n));
        StringBuilder red = new StringBuilder();
        for (int i = 0; i < picture.edges().size(); i++) {
            TopologyPicture.Edge e = picture.edges().get(i);
            String text = e.down() ? ("down " + e.impairments()).strip() : e.impairments();
            String line = e.vxlan() ? "-.-" : "---";
            md.append("  ").append(ids.get(e.a())).append(" ").append(line);
            if (!text.isEmpty()) {
                md.append("|").append(label(text)).append("|");
            }
            md.append(" ").append(ids.get(e.b())).append("\n");
            if (e.down()) {
                red.append(red.isEmpty() ? "" : ",").append(i);
            }
        }
        for (TopologyPicture.HostState state : TopologyPicture.HostState.values()) {
            md.append("  classDef ").append(cls(state)).append(" fill:").append(DotRenderer.FILL.get(state))
                    .append(",stroke:#333\n");
        }
        md.append("  classDef switch fill:#dde6f5,stroke:#333\n");
        if (!red.isEmpty()) {
            md.append("  linkStyle ").append(red).append(" stroke:red,color:red\n");
        }
        return md.toString();
    }

    private static void node(StringBuilder md, String indent, Map<String, String> ids, TopologyPicture.Node n) {
        String id = ids.get(n.name());
        if (n.host()) {
            md.append(indent).append(id).append("(").append(label(n.name() + "<br/>" + n.address())).append(")")
                    .append(":::").append(cls(n.state())).append("\n");
        } else {
            md.append(indent).append(id).append("[").append(label(n.name())).append("]:::switch\n");
        }
    }

    private static String cls(TopologyPicture.HostState state) {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String label(String s) {
        return "\"" + s.replace("\"", "#quot;") + "\"";
    }
}
