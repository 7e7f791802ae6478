package io.nfvlab.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The e2e scenario ({@link ClusterScenario}) where no cluster is: the in-process API server (token, size limits,
 * schema and CEL), the chart installed into it by {@code nfvlab install --apply}, the operator and an agent in this JVM
 * ({@link InJvmWorkloads}: nothing runs the chart's pods), examples/linear-4.yaml built in the real kernel with its
 * pingall and iperf, then {@code nfvlab uninstall} and no namespace, CRD, label or network namespace left. It tests the
 * scenario's code and the install/uninstall path; the images, pod specs and RBAC are {@code PodmanImagesIT}'s and a real
 * cluster's to prove. Root only (the agent builds namespaces and bridges).
 */
class InProcessE2eIT {
    @TempDir
    Path dir;

    @Test
    void linear4InstallsRunsAndUninstallsWithoutLeftovers() {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the agent builds in the real kernel, which needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "skipped: iperf3 is not installed (scripts/setup-host.sh installs it)");
        Path example = Path.of(System.getProperty("nfvlab.examples.dir", "../examples")).resolve("linear-4.yaml");
        String node = "e2e-" + UUID.randomUUID().toString().substring(0, 6);
        try (EmbeddedApiServer server = EmbeddedApiServer.start();
             KubernetesClient client = server.newClient();
             InJvmWorkloads workloads = new InJvmWorkloads(server, node, ClusterScenario.SYSTEM_NAMESPACE, dir)) {
            new ClusterScenario(client, workloads, System.out, Duration.ofMinutes(1)).run(example);
        }
    }
}
