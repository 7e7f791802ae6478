package io.nfvlab.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.runtime.Clients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The e2e scenario ({@link ClusterScenario}) on a real cluster: the one of {@code -Dnfvlab.e2e.kubeconfig=FILE} (or
 * {@code $NFVLAB_E2E_KUBECONFIG}), loading the images first when {@code -Dnfvlab.e2e.loadImages=kind[:NAME]|k3s|containerd}
 * says how; else k3s in a container (Testcontainers) where a Docker-compatible engine holds a k3s image, the images
 * loaded into it with {@code k3s ctr images import}; else skipped with the reason ({@link E2eTarget}).
 */
class ClusterE2eIT {
    @TempDir
    Path dir;

    @Test
    void linear4InstallsRunsAndUninstallsWithoutLeftovers() throws Exception {
        E2eTarget target = E2eTarget.choose(System::getProperty, System::getenv, new TestcontainersEngine());
        assumeTrue(target.kind() != E2eTarget.Kind.NONE, target.reason());
        Path images = Path.of(System.getProperty("nfvlab.images.dir", "../target/images"));
        String version = System.getProperty("nfvlab.images.version", "0.1.0-SNAPSHOT");
        Path example = Path.of(System.getProperty("nfvlab.examples.dir", "../examples")).resolve("linear-4.yaml");
        if (target.kind() == E2eTarget.Kind.KUBECONFIG) {
            ImageLoading loading = ImageLoading.parse(System.getProperty("nfvlab.e2e.loadImages", System.getenv("NFVLAB_E2E_LOAD_IMAGES")));
            if (loading.runtime() != ImageLoading.Runtime.NONE) {
                for (Path archive : ImageArchives.find(images, version).both()) {
                    runHere(loading.command(archive));
                }
            }
            runScenario(target.kubeconfig(), example);
            return;
        }
        // k3s was found, not asked for: without the archives to load into it, say so and skip (as PodmanImagesIT does)
        String noArchives = ImageArchives.missing(images, version);
        assumeTrue(noArchives == null, "skipped: k3s could run, but " + noArchives);
        ImageArchives archives = ImageArchives.find(images, version);
        try (K3sContainer k3s = new K3sContainer(DockerImageName.parse(target.k3sImage()).asCompatibleSubstituteFor("rancher/k3s"))) {
            k3s.start();
            ImageLoading k3sCtr = ImageLoading.parse("k3s");
            for (Path archive : archives.both()) {
                String inside = "/tmp/" + archive.getFileName();
                k3s.copyFileToContainer(MountableFile.forHostPath(archive), inside);
                ExecResult r = k3s.execInContainer(k3sCtr.command(Path.of(inside)).toArray(String[]::new));
                if (r.getExitCode() != 0) {
                    throw new AssertionError("loading " + archive.getFileName() + " into k3s failed: " + r.getStderr());
                }
            }
            Path kubeconfig = dir.resolve("k3s.kubeconfig");
            Files.createFile(kubeconfig, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
            runScenario(kubeconfig, example);
        }
    }

    private static void runScenario(Path kubeconfig, Path example) throws IOException {
        Config config = Clients.config(kubeconfig, null);
        try (KubernetesClient client = Clients.client(config);
             ChartWorkloads workloads = new ChartWorkloads(client, kubeconfig, ClusterScenario.SYSTEM_NAMESPACE, true)) {
            new ClusterScenario(client, workloads, System.out, Duration.ofMinutes(5)).run(example);
        }
    }

    /** Runs an image-loading command on this machine (an argument vector, no shell), failing with its output. */
    private static void runHere(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): " + output.strip());
        }
    }

    /** The local engine as Testcontainers finds it ($DOCKER_HOST, the Docker socket, podman's socket). */
    static final class TestcontainersEngine implements E2eTarget.Engine {
        @Override
        public String unavailable() {
            try {
                return DockerClientFactory.instance().isDockerAvailable() ? null : "Testcontainers found none";
            } catch (RuntimeException e) {
                return "Testcontainers: " + e.getMessage();
            }
        }

        @Override
        public boolean hasImage(String image) {
            try {
                DockerClientFactory.instance().client().inspectImageCmd(image).exec();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
