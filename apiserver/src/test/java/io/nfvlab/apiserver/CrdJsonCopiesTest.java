package io.nfvlab.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-process server installs the JSON copies of the CRDs; the chart (and so every cluster) gets the YAML. They
 * must be the same documents, and every generated CRD must be installed.
 */
class CrdJsonCopiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyInstalledJsonCopyIsTheSameDocumentAsItsYaml() throws IOException {
        for (String json : EmbeddedApiServer.CRD_RESOURCES) {
            String yaml = json.replaceFirst("\\.json$", ".yml");
            assertThat(read(json)).as(json + " against " + yaml).isEqualTo(readYaml(yaml));
        }
    }

    @Test
    void everyGeneratedCrdIsInstalled() throws IOException, URISyntaxException {
        List<String> installed = EmbeddedApiServer.CRD_RESOURCES.stream()
                .map(r -> r.substring(r.lastIndexOf('/') + 1).replaceFirst("\\.json$", ".yml")).sorted().toList();
        assertThat(installed).containsExactlyElementsOf(generatedYamlNames());
    }

    @Test
    void theServerServesEveryCrdItInstalls() {
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            var crds = server.client().apiextensions().v1().customResourceDefinitions().list().getItems();
            assertThat(crds).extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder(
                    "virtualtopologies.nfvlab.io", "dpdkbridges.nfvlab.io", "traffictests.nfvlab.io",
                    "networknodestates.nfvlab.io", "linkprofiles.nfvlab.io");
            assertThat(crds).allSatisfy(c -> assertThat(c.getSpec().getVersions()).isNotEmpty()
                    .allSatisfy(v -> assertThat(v.getSchema().getOpenAPIV3Schema().getProperties()).containsKey("spec")));
        }
    }

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode readYaml(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return JSON.valueToTree(Serialization.unmarshal(in, Map.class));
        }
    }

    private static InputStream open(String resource) {
        InputStream in = CrdJsonCopiesTest.class.getClassLoader().getResourceAsStream(resource);
        assertThat(in).as(resource + " on the class path").isNotNull();
        return in;
    }

    /** Every CRD YAML the crds module generated, from its output on the class path (a directory or a jar). */
    private static List<String> generatedYamlNames() throws IOException, URISyntaxException {
        URL one = CrdJsonCopiesTest.class.getResource("/META-INF/fabric8/virtualtopologies.nfvlab.io-v1.yml");
        assertThat(one).isNotNull();
        URI uri = one.toURI();
        if (uri.getScheme().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return yamlNames(jar.getPath("/META-INF/fabric8"));
            }
        }
        return yamlNames(Path.of(uri).getParent());
    }

    private static List<String> yamlNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return List.copyOf(new TreeSet<>(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-v1.yml")).toList()));
        }
    }
}
