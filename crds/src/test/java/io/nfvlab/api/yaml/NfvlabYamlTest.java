package io.nfvlab.api.yaml;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nfvlab.api.yaml.NfvlabYaml.NfvlabYamlException;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NfvlabYamlTest {
    private static final String TOPO = """
            apiVersion: nfvlab.io/v1alpha1
            kind: VirtualTopology
            metadata:
              name: lin
            spec:
              topology:
                type: linear
                k: 4
            """;

    @Test
    void loadsSeveralDocumentsInOrderSkippingEmptyOnes() {
        List<NfvlabYaml.Document> docs = NfvlabYaml.loadDocuments(TOPO + """
                ---
                apiVersion: nfvlab.io/v1alpha1
                kind: TrafficTest
                metadata:
                  name: ping
                spec:
                  topologyRef: {name: lin}
                  type: pingall
                ---
                """, "x.yaml");
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).resource()).isInstanceOf(VirtualTopology.class);
        VirtualTopology vt = (VirtualTopology) docs.get(0).resource();
        assertThat(vt.getSpec().getTopology().getK()).isEqualTo(4);
        assertThat(vt.getMetadata().getName()).isEqualTo("lin");
        TrafficTest tt = (TrafficTest) docs.get(1).resource();
        assertThat(tt.getSpec().getType()).isEqualTo(TrafficType.PINGALL);
        assertThat(docs.get(1).index()).isEqualTo(2);
        assertThat(docs.get(1).line()).isEqualTo(10);
        List<HasMetadata> all = NfvlabYaml.load(TOPO, "x");
        assertThat(NfvlabYaml.ofKind(all, VirtualTopology.class)).hasSize(1);
    }

    @Test
    void malformedYamlIsOneLineNamingSourceDocumentAndLine() {
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO + "---\nkind: [unclosed\n  foo: bar: baz\n", "bad.yaml"))
                .isInstanceOf(NfvlabYamlException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .hasMessageStartingWith("bad.yaml: document 2 (line ")
                .hasMessageContaining("malformed YAML");
    }

    @Test
    void unknownKindMissingKindAndMissingApiVersionAreNamed() {
        assertThatThrownBy(() -> NfvlabYaml.load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", "p.yaml"))
                .hasMessage("p.yaml: document 1 (line 1): unknown kind \"Pod\" (nfvlab files hold DpdkBridge, LinkProfile, TrafficTest, VirtualTopology)");
        assertThatThrownBy(() -> NfvlabYaml.load("apiVersion: nfvlab.io/v1alpha1\nmetadata: {name: p}\n", "p.yaml"))
                .hasMessageContaining("kind is missing");
        assertThatThrownBy(() -> NfvlabYaml.load("kind: VirtualTopology\nmetadata: {name: p}\n", "p.yaml"))
                .hasMessage("p.yaml: document 1 (line 1): apiVersion is missing (use nfvlab.io/v1alpha1)");
        assertThatThrownBy(() -> NfvlabYaml.load("apiVersion: nfvlab.io/v1\nkind: VirtualTopology\nmetadata: {name: p}\n", "p.yaml"))
                .hasMessageContaining("apiVersion \"nfvlab.io/v1\" is not nfvlab.io/v1alpha1");
        assertThatThrownBy(() -> NfvlabYaml.load("- a\n- b\n", "l.yaml"))
                .hasMessageContaining("document 1 (line 1): expected a resource");
        assertThatThrownBy(() -> NfvlabYaml.load("", "e.yaml")).hasMessageStartingWith("e.yaml: no resources");
    }

    @Test
    void wrongTypesAndUnknownFieldsNameTheField() {
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO.replace("k: 4", "k: four"), "t.yaml"))
                .hasMessage("t.yaml: document 1 (line 1) VirtualTopology lin: spec.topology.k: \"four\" is not a whole number");
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO.replace("k: 4", "k: \"4\""), "t.yaml"))
                .hasMessageContaining("spec.topology.k:");
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO.replace("k: 4", "k: 4.5"), "t.yaml"))
                .hasMessageContaining("spec.topology.k:");
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO.replace("k: 4", "kk: 4"), "t.yaml"))
                .hasMessageStartingWith("t.yaml: document 1 (line 1) VirtualTopology lin: spec.topology.kk: unknown field (known: ");
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO + "  switchKind: ovz\n", "t.yaml"))
                .hasMessageContaining("spec.switchKind: \"ovz\" is not one of linux-bridge, ovs, ovs-dpdk");
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO + "  hosts: h1\n", "t.yaml"))
                .hasMessageContaining("spec.hosts: \"h1\" is not a list");
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO.replace("name: lin", "labels: {}"), "t.yaml"))
                .hasMessageContaining("metadata.name is missing");
    }

    @Test
    void aKeyWrittenTwiceIsAnError() {
        assertThatThrownBy(() -> NfvlabYaml.load(TOPO + "    k: 5\n", "d.yaml"))
                .isInstanceOf(NfvlabYamlException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                .hasMessageStartingWith("d.yaml: document 1")
                .hasMessageContaining("Duplicate field 'k'");
    }

    @Test
    void missingFileIsOneLine() {
        assertThatThrownBy(() -> NfvlabYaml.load(Path.of("/nonexistent/nfvlab.yaml")))
                .hasMessage("/nonexistent/nfvlab.yaml: no such file");
    }
}
