package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabTest {
    @TempDir
    Path dir;

    @Test
    void linear4IsOneTopologyAndItsTwoTestsInTheLabNamespace() {
        ClusterScenario.Lab lab = ClusterScenario.Lab.load(Path.of("../examples/linear-4.yaml"), "lab");
        assertThat(lab.topology().getMetadata().getName()).isEqualTo("linear-4");
        assertThat(lab.tests()).extracting(t -> t.getMetadata().getName()).containsExactly("linear-4-pingall", "linear-4-iperf");
        assertThat(lab.all()).extracting(HasMetadata::getMetadata).allSatisfy(m -> assertThat(m.getNamespace()).isEqualTo("lab"));
    }

    @Test
    void anExampleWithoutTrafficTestsIsNotAScenario() throws IOException {
        Path file = Files.writeString(dir.resolve("t.yaml"), """
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata: {name: t}
                spec: {topology: {type: minimal}}
                """);
        assertThatThrownBy(() -> ClusterScenario.Lab.load(file, "lab")).hasMessageContaining("at least one TrafficTest");
    }

    @Test
    void theCliArgumentsInstallWithAnAgentOnEveryNodeAndUninstallTheSameRelease() {
        Path k = Path.of("/tmp/k");
        assertThat(ClusterScenario.installArgs(k)).containsSequence("install", "--apply", "--kubeconfig", "/tmp/k")
                .containsSequence("--set", "agent.tolerateAll=true").containsSequence("--system-namespace", "nfvlab-system");
        assertThat(ClusterScenario.uninstallArgs(k)).containsSequence("uninstall", "--kubeconfig", "/tmp/k")
                .containsSequence("--system-namespace", "nfvlab-system");
    }
}
