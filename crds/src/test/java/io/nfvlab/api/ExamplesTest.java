package io.nfvlab.api;

import io.nfvlab.api.yaml.NfvlabYaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.validation.DpdkBridgeValidator;
import io.nfvlab.api.validation.LinkProfileValidator;
import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.validation.TrafficTestValidator;
import io.nfvlab.api.validation.Violations;
import io.nfvlab.api.expansion.LinkProfiles;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.profile.LinkProfile;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.crdvalidation.CrdSchemaValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every file in examples/ loads, and every resource in it passes the CRD's schema and CEL rules and nfvlab's validators. */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("../examples");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> PLURALS = Map.of(
            "VirtualTopology", "virtualtopologies", "TrafficTest", "traffictests", "DpdkBridge", "dpdkbridges", "LinkProfile", "linkprofiles");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @Test
    void theDocumentedExamplesExist() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString())).contains(
                "minimal.yaml", "linear-4.yaml", "tree.yaml", "shaped-links.yaml", "dpdkbridge.yaml", "pingall.yaml", "iperf.yaml");
        // `nfvlab run examples/linear-4.yaml` applies the whole file: the topology and its two tests
        List<HasMetadata> linear4 = NfvlabYaml.load(EXAMPLES.resolve("linear-4.yaml"));
        assertThat(linear4).extracting(HasMetadata::getKind).containsExactly("VirtualTopology", "TrafficTest", "TrafficTest");
        assertThat(NfvlabYaml.ofKind(linear4, TrafficTest.class)).extracting(t -> t.getSpec().getType())
                .containsExactly(TrafficType.PINGALL, TrafficType.IPERF);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyResourcePassesSchemaCelAndValidators(Path file) throws IOException {
        List<NfvlabYaml.Document> docs = NfvlabYaml.loadDocuments(file);
        List<JsonNode> raw = new ArrayList<>();
        YAML.readerFor(JsonNode.class).readValues(file.toFile()).forEachRemaining(n -> raw.add((JsonNode) n));
        assertThat(raw).hasSize(docs.size());
        for (int i = 0; i < docs.size(); i++) {
            HasMetadata r = docs.get(i).resource();
            String what = file.getFileName() + " " + r.getKind() + " " + r.getMetadata().getName();
            assertThat(CrdSchemaValidator.forPlural(PLURALS.get(r.getKind())).validate(raw.get(i))).as(what).isEmpty();
            if (r instanceof VirtualTopology vt) {
                // the profiles it names are examples too, and their values go through the topology's checks
                LinkProfiles profiles = LinkProfiles.of(vt.getSpec(), exampleProfiles());
                assertThat(profiles.missing()).as(what).isEmpty();
                var violations = TopologyValidator.check(vt.getSpec(), profiles).violations();
                assertThat(violations).as(what + "\n" + Violations.format(violations)).isEmpty();
            } else if (r instanceof LinkProfile p) {
                var violations = LinkProfileValidator.validate(p.getSpec());
                assertThat(violations).as(what + "\n" + Violations.format(violations)).isEmpty();
            } else if (r instanceof DpdkBridge b) {
                var violations = DpdkBridgeValidator.validate(b.getSpec());
                assertThat(violations).as(what + "\n" + Violations.format(violations)).isEmpty();
            } else if (r instanceof TrafficTest t) {
                var violations = TrafficTestValidator.validate(t.getSpec());
                assertThat(violations).as(what + "\n" + Violations.format(violations)).isEmpty();
                checkAgainstItsTopology(t, what);
            }
        }
    }

    @Test
    void namesAreUniquePerKindSoThatAllExamplesCanBeAppliedTogether() throws IOException {
        Map<String, Path> seen = new HashMap<>();
        for (Path file : examples().toList()) {
            for (HasMetadata r : NfvlabYaml.load(file)) {
                Path earlier = seen.put(r.getKind() + "/" + r.getMetadata().getName(), file);
                assertThat(earlier).as(r.getKind() + " " + r.getMetadata().getName() + " in " + file).isNull();
            }
        }
    }

    @Test
    void theTreeAndShapedExamplesAreWhatTheirNamesSay() {
        TopologyGraph tree = TopologyExpander.expand(((VirtualTopology) NfvlabYaml.load(EXAMPLES.resolve("tree.yaml")).get(0)).getSpec());
        assertThat(tree.hosts()).hasSize(9);
        assertThat(tree.switches()).hasSize(4);
        TopologyGraph shaped = TopologyExpander.expand(((VirtualTopology) NfvlabYaml.load(EXAMPLES.resolve("shaped-links.yaml")).get(0)).getSpec());
        assertThat(shaped.links()).anySatisfy(l -> {
            assertThat(l.params().getBandwidthMbps()).isNotNull();
            assertThat(l.params().getDelay()).isNotNull();
            assertThat(l.params().getLossPercent()).isNotNull();
        });
        DpdkBridge bridge = (DpdkBridge) NfvlabYaml.load(EXAMPLES.resolve("dpdkbridge.yaml")).get(0);
        assertThat(bridge.getSpec().getPorts()).hasSize(2);
    }

    @Test
    void theShippedProfilesAreThereAndTheWanExampleTakesItsLinksFromThem() {
        assertThat(exampleProfiles()).containsKeys("satellite", "3g", "lossy-wifi");
        VirtualTopology wan = (VirtualTopology) NfvlabYaml.load(EXAMPLES.resolve("wan-profiles.yaml")).get(0);
        TopologyGraph g = TopologyExpander.expand(wan.getSpec(), LinkProfiles.of(wan.getSpec(), exampleProfiles()));
        Map<String, LinkParams> byHost = new HashMap<>();
        g.links().forEach(l -> byHost.put(l.a().node(), l.params()));
        assertThat(byHost.get("h1").isShaped()).isFalse();
        assertThat(byHost.get("h2").getDelay()).isEqualTo("279ms");
        assertThat(byHost.get("h3").getDelay()).isEqualTo("150ms");
        // the link's own bandwidth wins over the profile's; the rest comes from lossy-wifi
        assertThat(byHost.get("h4")).extracting(LinkParams::getBandwidthMbps, LinkParams::getDelay, LinkParams::getLossPercent)
                .containsExactly(10.0, "14ms", 2.0);
    }

    private static Map<String, LinkParams> exampleProfiles() {
        try {
            Map<String, LinkParams> profiles = new HashMap<>();
            examples().flatMap(f -> NfvlabYaml.load(f).stream()).filter(LinkProfile.class::isInstance).map(LinkProfile.class::cast)
                    .forEach(p -> profiles.put(p.getMetadata().getName(), p.getSpec()));
            return profiles;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A test's topology is defined in examples/, and the hosts it names exist in that topology. */
    private static void checkAgainstItsTopology(TrafficTest t, String what) throws IOException {
        if (t.getSpec().getType() == TrafficType.TESTPMD && t.getSpec().getTopologyRef() == null) {
            return;
        }
        String topo = t.getSpec().getTopologyRef().getName();
        VirtualTopology vt = examples().flatMap(f -> NfvlabYaml.load(f).stream())
                .filter(r -> r instanceof VirtualTopology && r.getMetadata().getName().equals(topo))
                .map(VirtualTopology.class::cast).findFirst().orElse(null);
        assertThat(vt).as(what + ": topology " + topo + " is defined in examples/").isNotNull();
        TopologyGraph g = TopologyExpander.expand(vt.getSpec());
        if (t.getSpec().getType() == TrafficType.TESTPMD) {
            var misfits = TrafficTestValidator.validateTestpmdHosts(t.getSpec(),
                    g.hosts().stream().filter(TopologyGraph.Host::vhostUser).map(TopologyGraph.Host::name).toList());
            assertThat(misfits).as(what + "\n" + Violations.format(misfits)).isEmpty();
            return;
        }
        List<String> named = new ArrayList<>();
        if (t.getSpec().getSource() != null) named.add(t.getSpec().getSource());
        if (t.getSpec().getDestination() != null) named.add(t.getSpec().getDestination());
        if (t.getSpec().getHosts() != null) named.addAll(t.getSpec().getHosts());
        for (String h : named) {
            assertThat(g.isHost(h)).as(what + ": host " + h + " exists in " + topo).isTrue();
        }
        var misfits = TrafficTestValidator.validateAgainst(t.getSpec(), g.hosts().stream().map(TopologyGraph.Host::name).toList());
        assertThat(misfits).as(what + "\n" + Violations.format(misfits)).isEmpty();
    }
}
