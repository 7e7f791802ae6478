package io.nfvlab.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nfvlab.api.yaml.NfvlabYaml;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.crdvalidation.CrdSchemaValidator;
import io.nfvlab.crdvalidation.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every document under topologies/invalid/ names, in its header, the layer that must reject it (the CRD's OpenAPI
 * schema, one of its CEL rules, or the Java TopologyValidator), the field path and a fragment of the message. Each is
 * rejected there with exactly that path; and every one is also rejected by the Java path alone (NfvlabYaml +
 * TopologyValidator), which is all the CLI has without an API server.
 */
class InvalidTopologiesTest {
    private static final Path INVALID = Path.of("src/test/resources/topologies/invalid");
    private static final Path VALID = Path.of("src/test/resources/topologies/valid");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final CrdSchemaValidator CRD = CrdSchemaValidator.forPlural("virtualtopologies");

    record Fixture(Path file, String layer, String field, String message) {
        @Override
        public String toString() {
            return file.getFileName() + " (" + layer + ": " + field + ")";
        }
    }

    static Stream<Fixture> invalid() throws IOException {
        try (Stream<Path> files = Files.list(INVALID)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(InvalidTopologiesTest::fixture).toList().stream();
        }
    }

    static Stream<Path> valid() throws IOException {
        try (Stream<Path> files = Files.list(VALID)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static Fixture fixture(Path file) {
        Map<String, String> header = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("# ") && line.indexOf(':') > 2) {
                    header.put(line.substring(2, line.indexOf(':')).trim(), line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String key : List.of("layer", "field", "message")) {
            assertThat(header).as(file + " header").containsKey(key);
        }
        return new Fixture(file, header.get("layer"), header.get("field"), header.get("message"));
    }

    @Test
    void thereAreAtLeast25InvalidDocumentsCoveringEveryLayer() throws IOException {
        List<Fixture> all = invalid().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(25);
        assertThat(all).extracting(Fixture::layer).contains("schema", "cel", "validator")
                .allMatch(l -> List.of("schema", "cel", "validator").contains(l));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void isRejectedWithItsFieldPath(Fixture f) throws IOException {
        if (f.layer().equals("validator")) {
            VirtualTopology vt = (VirtualTopology) NfvlabYaml.load(f.file()).get(0);
            List<Violation> violations = TopologyValidator.validate(vt);
            assertThat(violations).as(Violations.format(violations))
                    .anySatisfy(v -> {
                        assertThat(v.field()).isEqualTo(f.field());
                        assertThat(v.message()).contains(f.message());
                    });
        } else {
            List<FieldError> violations = CRD.validate(YAML.readTree(f.file().toFile()));
            assertThat(violations).as(violations.toString())
                    .anySatisfy(v -> {
                        assertThat(v.field()).isEqualTo(f.field());
                        assertThat(v.message()).contains(f.message());
                    });
        }
        assertThat(javaPathRejects(f.file())).as("the CLI (NfvlabYaml + TopologyValidator) rejects " + f.file()).isTrue();
    }

    /** The control: documents that use every field validly pass the schema, every CEL rule and the validator. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validDocumentsPassEveryLayer(Path file) throws IOException {
        JsonNode doc = YAML.readTree(file.toFile());
        assertThat(CRD.validate(doc)).isEmpty();
        VirtualTopology vt = (VirtualTopology) NfvlabYaml.load(file).get(0);
        assertThat(TopologyValidator.validate(vt)).isEmpty();
    }

    @Test
    void everyCelRuleOfTheTopologyCrdHasAnInvalidFixture() throws IOException {
        List<String> celMessages = invalid().filter(f -> f.layer().equals("cel")).map(Fixture::message).toList();
        for (String[] rule : CRD.rules()) {
            assertThat(celMessages).as("a fixture for the rule at " + rule[0] + ": " + rule[2])
                    .anyMatch(rule[2]::contains);
        }
    }

    private static boolean javaPathRejects(Path file) {
        List<HasMetadata> resources;
        try {
            resources = NfvlabYaml.load(file);
        } catch (NfvlabYaml.NfvlabYamlException e) {
            assertThat(e.getMessage()).doesNotContain("\n").startsWith(file.toString());
            return true;
        }
        return !TopologyValidator.validate((VirtualTopology) resources.get(0)).isEmpty();
    }
}
