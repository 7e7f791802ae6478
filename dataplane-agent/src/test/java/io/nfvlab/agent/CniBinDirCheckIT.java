package io.nfvlab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The node agent as AgentMain starts it (real kernel dataplane, no traffic, no DPDK, no CNI socket) with
 * {@code --cni-bin-dir}: a directory without the runtime's plugins is a warning event on the Node, and the agent runs.
 */
class CniBinDirCheckIT {
    @TempDir
    Path dir;
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private final String node = "cnibin-it-" + UUID.randomUUID().toString().substring(0, 6);

    @BeforeEach
    void start() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the node agent's kernel dataplane needs root");
        server = EmbeddedApiServer.start();
        admin = server.client();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBinDirectoryWithoutTheRuntimesPluginsIsAnEventOnTheNodeAndTheAgentRunsOn() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        try (NodeAgent agent = start(empty)) {
            assertThat(agent.agent().isStarted()).isTrue();
        }
        assertThat(admin.v1().events().inNamespace(io.nfvlab.api.Nfvlab.DEFAULT_SYSTEM_NAMESPACE).list().getItems())
                .filteredOn(e -> NodeEvents.CNI_BIN_DIR.equals(e.getReason()))
                .singleElement().satisfies(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo(node);
                    assertThat(e.getMessage()).contains(empty.toString(), "holds no CNI plugin but nfvlab's");
                });
    }

    @Test
    void aBinDirectoryWithThePluginsIsSilent() throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.createFile(bin.resolve("loopback"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (NodeAgent agent = start(bin)) {
            assertThat(agent.agent().isStarted()).isTrue();
        }
        assertThat(admin.v1().events().inNamespace(io.nfvlab.api.Nfvlab.DEFAULT_SYSTEM_NAMESPACE).list().getItems())
                .noneMatch(e -> NodeEvents.CNI_BIN_DIR.equals(e.getReason()));
    }

    private NodeAgent start(Path cniBinDir) {
        return NodeAgent.builder().client(server.newClient()).nodeName(node).embedded(true).sweepOrphansOnStart(false)
                .traffic(false).dpdk(false).cniSocket(null).cniBinDir(cniBinDir).start();
    }
}
