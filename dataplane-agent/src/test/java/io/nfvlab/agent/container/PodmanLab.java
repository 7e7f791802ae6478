package io.nfvlab.agent.container;

import io.nfvlab.agent.process.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A podman store of the test's own (so nothing of the machine's images or containers is touched) holding one tiny
 * image made on the spot: busybox-static in an otherwise empty root filesystem, imported with {@code podman import}
 * (≈2 MB, well under a second). Removed with every container at {@link #close()}.
 */
public final class PodmanLab implements AutoCloseable {
    static final String IMAGE = "localhost/nfvlab-it-busybox:1";
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    final Path work;
    final List<String> podman;
    final PodmanRuntime runtime;

    private PodmanLab(Path work) {
        this.work = work;
        this.podman = List.of("podman", "--root", work.resolve("storage").toString(), "--runroot",
                work.resolve("run").toString(), "--storage-driver", "vfs", "--events-backend", "file");
        this.runtime = new PodmanRuntime(podman);
    }

    /** Skips (saying why) without root or podman; fails when busybox-static is missing (setup-host.sh installs it). */
    static PodmanLab open() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")) && !Boolean.getBoolean("nfvlab.kernel.skip"),
                "container hosts need root: namespaces, veths and podman containers");
        assumeTrue(CommandRunner.run(List.of("podman", "--version"), Duration.ofSeconds(20)).ok(),
                "podman is not installed (scripts/setup-host.sh installs podman and runc)");
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("/bin/busybox is missing: the test image is made of busybox-static "
                    + "(scripts/setup-host.sh installs it, or apt-get install busybox-static)");
        }
        PodmanLab lab = new PodmanLab(Files.createTempDirectory("nfvlab-pods-it-"));
        Path rootfs = lab.work.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep", "ip", "ls", "cat", "ps", "ping")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Path tar = lab.work.resolve("rootfs.tar");
        check(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
        check(lab.argv("import", "-q", "--change", "CMD [\"/bin/sleep\",\"100000\"]", tar.toString(), IMAGE));
        return lab;
    }

    List<String> argv(String... rest) {
        List<String> a = new ArrayList<>(podman);
        a.addAll(List.of(rest));
        return a;
    }

    CommandRunner.Result run(String... rest) {
        return CommandRunner.run(argv(rest), Duration.ofSeconds(60));
    }

    /** Names of the containers carrying owner label {@code token}, running or not. */
    List<String> containersOf(String token) {
        String out = check(argv("ps", "-a", "--filter", "label=" + ContainerHosts.OWNER_LABEL + "=" + token,
                "--format", "{{.Names}}")).stdout();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    static CommandRunner.Result check(List<String> argv) {
        CommandRunner.Result r = CommandRunner.run(argv, Duration.ofSeconds(120));
        if (!r.ok()) {
            throw new IllegalStateException(r.describe());
        }
        return r;
    }

    @Override
    public void close() {
        CommandRunner.run(argv("rm", "-a", "-f", "-t", "0"), Duration.ofSeconds(60));
        CommandRunner.run(argv("rmi", "-a", "-f"), Duration.ofSeconds(60));
        // vfs layers may hold files podman left read-only or mounted: unmount what is under the store, then delete
        try {
            Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
                    .filter(m -> m.startsWith(work.toString())).sorted(Comparator.reverseOrder())
                    .forEach(m -> CommandRunner.run(List.of("umount", "-l", m), Duration.ofSeconds(10)));
        } catch (IOException ignored) {
            // nothing mounted to find
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is not a kernel leak
        }
    }
}
