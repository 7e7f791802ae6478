package io.nfvlab.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator started against a cluster without its CRDs says so in one line and an event, and exits. */
class MissingCrdsTest {
    @TempDir
    Path dir;
    private EmbeddedApiServer server;
    private KubernetesClient admin;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void withEveryCrdInstalledNothingIsMissing() {
        assertThat(MissingCrds.of(admin)).isEmpty();
    }

    @Test
    void aMissingCrdIsNamedWithHowToInstallItAndTheOperatorExitsWithoutStarting() throws IOException {
        admin.apiextensions().v1().customResourceDefinitions().withName("traffictests.nfvlab.io").delete();
        assertThat(MissingCrds.of(admin)).containsExactly("traffictests.nfvlab.io");
        assertThat(MissingCrds.line(MissingCrds.of(admin))).contains("traffictests.nfvlab.io", "kubectl apply -f charts/nfvlab/crds/")
                .doesNotContain("\n");

        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig("default"));
        int code = new CommandLine(new OperatorMain()).execute("--kubeconfig", kubeconfig.toString(), "--metrics-port", "0");
        assertThat(code).isEqualTo(3);
    }

    @Test
    void theRefusalIsAWarningEventOnTheOperatorsPod() {
        MissingCrds.recordOnPod(admin, "nfvlab-operator-7d4-x2", "nfvlab-system", "the CRDs x are not installed");
        assertThat(admin.v1().events().inNamespace("nfvlab-system").list().getItems()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo(MissingCrds.REASON);
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("nfvlab-operator-7d4-x2");
            assertThat(e.getMessage()).isEqualTo("the CRDs x are not installed");
        });
        // outside a pod there is no object to attach it to: the line alone
        MissingCrds.recordOnPod(admin, null, null, "ignored");
        assertThat(admin.v1().events().inAnyNamespace().list().getItems()).hasSize(1);
    }
}
