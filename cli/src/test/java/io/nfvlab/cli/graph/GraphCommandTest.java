package io.nfvlab.cli.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.yaml.NfvlabYaml;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.TopologyView;
import io.nfvlab.cli.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code nfvlab graph}: from a file alone (no cluster) and from a topology with a status. */
class GraphCommandTest {
    private static final Path EXAMPLES = Path.of("..", "examples");
    private StringWriter out;
    private StringWriter err;

    private int nfvlab(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void linearFourFromItsFileMatchesTheGoldenDot() throws IOException {
        assertThat(nfvlab("graph", "-f", EXAMPLES.resolve("linear-4.yaml").toString(), "-o", "dot")).as(err.toString()).isZero();
        Path golden = Path.of("src/test/resources/graph/linear-4.dot");
        if (!out.toString().equals(Files.readString(golden))) {
            // the new picture next to the old one, to compare (and to copy over the golden file when intended)
            Files.writeString(Path.of("target/linear-4.actual.dot"), out.toString());
        }
        assertThat(out.toString()).isEqualTo(Files.readString(golden));
    }

    @Test
    void mermaidDrawsTheExpandedBuiltinWithImpairments() {
        assertThat(nfvlab("graph", "-f", EXAMPLES.resolve("shaped-links.yaml").toString(), "-o", "mermaid")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("flowchart LR\n")
                .contains("  n0(\"h1<br/>10.0.0.1\"):::declared\n", "  n2[\"s1\"]:::switch\n")
                .contains("  n0 ---|\"10.00Mbit 20ms delay 2ms jitter 1.0% loss\"| n2\n", "  n1 ---|\"queue 1000\"| n3\n")
                .doesNotContain("subgraph", "linkStyle");
    }

    @Test
    void jsonListsEveryExpandedNodeAndLink() throws IOException {
        assertThat(nfvlab("graph", "-f", EXAMPLES.resolve("tree.yaml").toString(), "-o", "json")).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        VirtualTopology tree = (VirtualTopology) NfvlabYaml.load(EXAMPLES.resolve("tree.yaml")).get(0);
        var expanded = io.nfvlab.api.expansion.TopologyExpander.expand(tree.getSpec());
        assertThat(json.get("name").asText()).isEqualTo(tree.getMetadata().getName());
        assertThat(json.get("nodes")).hasSize(expanded.hosts().size() + expanded.switches().size());
        assertThat(json.get("edges")).hasSize(expanded.links().size());
        assertThat(json.get("nodes").get(0).get("state").asText()).isEqualTo("DECLARED");
    }

    @Test
    void statusGivesClustersPerNodeDashedTunnelsRedDownLinksAndHostStates() {
        VirtualTopology t = (VirtualTopology) NfvlabYaml.load("""
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata: {name: two-nodes}
                spec:
                  topology: {type: linear, k: 3}
                  linkOverrides:
                    - {a: s2, b: s3, state: down}
                """, "two-nodes.yaml").get(0);
        t.setStatus(VirtualTopologyStatus.builder()
                .hostAddresses(List.of(host("h1", "node-a"), host("h2", "node-a"), host("h3", "node-b")))
                .nodes(List.of(VirtualTopologyStatus.NodeSummary.builder().node("node-a").synced(true).build(),
                        VirtualTopologyStatus.NodeSummary.builder().node("node-b").synced(false).build()))
                .conditions(List.of(new ConditionBuilder().withType("Degraded").withStatus("True")
                        .withMessage("node node-b: h3: cannot create namespace").build()))
                .build());
        TopologyView view = TopologyView.of(t, List.of());
        TopologyView placed = new TopologyView(view.name(), view.namespace(), view.graph(), Map.of(
                "h1", place("node-a"), "h2", place("node-a"), "h3", place("node-b"),
                "s1", place("node-a"), "s2", place("node-a"), "s3", place("node-b")), view.status());

        String dot = DotRenderer.render(TopologyPicture.of(placed));

        assertThat(dot).contains("  subgraph \"cluster_0\" {\n    label=\"node node-a\";")
                .contains("  subgraph \"cluster_1\" {\n    label=\"node node-b\";")
                .contains("\"h1\" [shape=box, style=\"rounded,filled\", fillcolor=\"#c8f0c8\"")
                .contains("\"h3\" [shape=box, style=\"rounded,filled\", fillcolor=\"#f4b0b0\"")
                .containsPattern("\"s2\" -- \"s3\" \\[tooltip=\"s3-eth2 - s2-eth3\", label=\"down\", style=dashed, color=red, fontcolor=red\\]")
                .containsPattern("\"s1\" -- \"s2\" \\[tooltip=\"[^\"]+\"\\];");
        String mermaid = MermaidRenderer.render(TopologyPicture.of(placed));
        assertThat(mermaid).contains("subgraph k1[\"node node-b\"]", "-.-|\"down\"|").containsPattern("linkStyle \\d+ stroke:red");
    }

    @Test
    void svgComesFromGraphvizWithDotOnStdin() throws IOException {
        assumeTrue(SvgRenderer.dot().isPresent(), "Graphviz's dot is not installed (scripts/setup-host.sh installs it)");
        assertThat(nfvlab("graph", "-f", EXAMPLES.resolve("linear-4.yaml").toString(), "-o", "svg")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("<svg", "<title>linear&#45;4</title>", "<title>h1</title>", "VirtualTopology linear&#45;4");
        // kept for a look by eye (convert to PNG: rsvg-convert target/linear-4.svg > linear-4.png)
        Files.writeString(Path.of("target/linear-4.svg"), out.toString());
    }

    @Test
    void namesAreQuotedDotIds() {
        assertThat(DotRenderer.id("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
    }

    @Test
    void aFileWithoutTopologyIsOneLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, Files.readString(EXAMPLES.resolve("dpdkbridge.yaml")));
        assertThat(nfvlab("graph", "-f", file.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("nfvlab: " + file + " has 0 topologies");
        assertThat(nfvlab("graph", "-f", EXAMPLES.resolve("linear-4.yaml").toString(), "-t", "other")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString().strip()).endsWith("has no VirtualTopology other (linear-4)");
    }

    private static VirtualTopologyStatus.HostStatus host(String name, String node) {
        return VirtualTopologyStatus.HostStatus.builder().name(name).node(node).build();
    }

    private static TopologyView.Placed place(String node) {
        return new TopologyView.Placed(node, null, null, null, null);
    }
}
