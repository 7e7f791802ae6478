package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.nfvlab.api.yaml.NfvlabYaml;
import io.nfvlab.api.topology.VirtualTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a real API server (k3s in Docker): the chart's CRDs install and become Established, the examples are accepted,
 * and the CRDs' CEL rules reject what they should. Skipped, with the reason, where Docker is not available.
 */
class K3sCrdsIT {
    private static final Path CHART_CRDS = Path.of("../charts/nfvlab/crds");
    private static final Path EXAMPLES = Path.of("../examples");
    private static final String NAMESPACE = "nfvlab-e2e";

    private static K3sContainer k3s;
    private static KubernetesClient client;

    /** Starts k3s once for the class; asked from each test so that a missing Docker shows as a skipped test with its reason. */
    private static void requireK3s() {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "skipped: Docker is not available here (Testcontainers found no Docker daemon), so k3s cannot run");
        if (k3s == null) {
            k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.30.6-k3s1"));
            k3s.start();
            client = new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory())
                    .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
        }
    }

    @AfterAll
    static void stopK3s() {
        if (client != null) {
            client.close();
        }
        if (k3s != null) {
            k3s.stop();
        }
    }

    @Test
    void crdsInstallAndExamplesAreAcceptedAndCelRulesReject() throws IOException {
        requireK3s();
        try (Stream<Path> files = Files.list(CHART_CRDS)) {
            for (Path f : files.sorted().toList()) {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(f.toFile()).item();
                client.resource(crd).serverSideApply();
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                                .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True")), 60, TimeUnit.SECONDS);
            }
        }
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();

        List<HasMetadata> resources = NfvlabYaml.load(EXAMPLES.resolve("linear-4.yaml"));
        for (HasMetadata r : resources) {
            r.getMetadata().setNamespace(NAMESPACE);
            assertThat(client.resource(r).create().getMetadata().getUid()).isNotBlank();
        }
        assertThat(client.resources(VirtualTopology.class).inNamespace(NAMESPACE).withName("linear-4").get()).isNotNull();

        // a CEL rule of the CRD, enforced by the real API server
        VirtualTopology selfLoop = (VirtualTopology) NfvlabYaml.load("""
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata: {name: self-loop, namespace: nfvlab-e2e}
                spec:
                  hosts: [{name: h1}]
                  switches: [{name: s1}]
                  links: [{a: h1, b: s1}, {a: s1, b: s1}]
                """, "self-loop").get(0);
        assertThatThrownBy(() -> client.resource(selfLoop).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("a link's two ends must differ");
    }
}
