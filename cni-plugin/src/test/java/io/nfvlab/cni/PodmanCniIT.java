package io.nfvlab.cni;

import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.AttachmentNames;
import io.nfvlab.agent.cni.Json;
import io.nfvlab.agent.process.Command;
import io.nfvlab.agent.process.CommandRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * podman (CNI backend, libcni) as the plugin's client: a network whose only plugin is nfvlab-cni, containers run on
 * it and removed, 20 times; afterwards nothing of theirs is left in OVS, host-local's reservations or the plugin's
 * directories. podman's storage, run directory and configuration are the test's own, so no other container or image
 * on the machine is seen or touched.
 */
class PodmanCniIT {
    private static final String BRIDGE = "nvdkpod0";
    private static final String NETWORK = "nvdkpod-net";
    private static final int CYCLES = 20;
    @TempDir
    Path root;
    private InProcessAgent agent;

    private static CommandRunner.Result run(String... argv) {
        return CommandRunner.run(List.of(argv), Duration.ofSeconds(30));
    }

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: OVS ports, network namespaces");
        assumeTrue(run("podman", "--version").ok(), "needs podman (the CNI client under test)");
        assumeTrue(run("runc", "--version").ok(), "needs runc (podman's crun fails here, see PLATFORM.md)");
        var dpdk = run("ovs-vsctl", "--timeout=5", "get", "Open_vSwitch", ".", "dpdk_initialized");
        assumeTrue(dpdk.ok() && dpdk.stdout().strip().equals("true"), "needs ovs-vswitchd with DPDK initialized");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/host-local")), "needs host-local (containernetworking-plugins)");
        run("ovs-vsctl", "--timeout=10", "--", "add-br", BRIDGE, "--", "set", "Bridge", BRIDGE, "datapath_type=netdev")
                .orThrow();
        agent = new InProcessAgent(root);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (agent != null) {
            agent.close();
        }
        List<String> ports = ourPorts();
        run("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", BRIDGE);
        if (Files.isDirectory(root.resolve("podman"))) {
            // whatever a failed run left in the test's own storage
            podman(List.of("rm", "--all", "--force"));
        }
        assertThat(ports).as("plugin ports left on " + BRIDGE).isEmpty();
    }

    private static List<String> ourPorts() {
        var r = run("ovs-vsctl", "--timeout=5", "list-ports", BRIDGE);
        return r.ok() ? r.stdout().lines().filter(p -> p.startsWith(AttachmentNames.PORT_PREFIX)).toList() : List.of();
    }

    /** podman on the test's private storage, configuration directory and plugin directory. */
    private CommandRunner.Result podman(List<String> args) {
        Path p = root.resolve("podman");
        List<String> argv = new ArrayList<>(List.of("podman", "--root", p.resolve("root").toString(),
                "--runroot", p.resolve("run").toString(), "--tmpdir", p.resolve("tmp").toString(),
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs", "--runtime", "runc",
                "--network-backend", "cni", "--network-config-dir", root.resolve("net.d").toString(),
                "--events-backend", "none"));
        argv.addAll(args);
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", root.toString());
        env.put("CONTAINERS_CONF", root.resolve("containers.conf").toString());
        env.put("CONTAINERS_REGISTRIES_CONF", root.resolve("registries.conf").toString());
        // libcni hands its environment on to the plugin: the executable finds the test's agent, never a fallback
        env.put("NFVLAB_CNI_SOCKET", agent.socket().toString());
        env.put("NFVLAB_CNI_FALLBACK", "");
        return CommandRunner.run(Command.of(argv, Duration.ofSeconds(50)).withEnvironment(env));
    }

    /** The smallest container that runs: the host's true and the libraries it loads. */
    private Path rootfs() throws IOException {
        Path rootfs = root.resolve("rootfs");
        for (String d : List.of("proc", "sys", "dev", "etc", "tmp", "run", "usr/bin")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Path trueBin = Path.of("/usr/bin/true").toRealPath();
        Files.copy(trueBin, rootfs.resolve("usr/bin/true"));
        for (String line : run("ldd", trueBin.toString()).orThrow().stdout().lines().toList()) {
            for (String word : line.split("\\s+")) {
                if (word.startsWith("/")) {
                    Path lib = rootfs.resolve(word.substring(1));
                    Files.createDirectories(lib.getParent());
                    Files.copy(Path.of(word).toRealPath(), lib);
                }
            }
        }
        return rootfs;
    }

    private void network() throws IOException {
        Map<String, Object> plugin = CniFixtures.config(NETWORK, BRIDGE, root);
        plugin.remove("cniVersion");
        plugin.remove("name");
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("cniVersion", "1.0.0"); // what libcni before 1.2 (podman 4.x) takes
        list.put("name", NETWORK);
        list.put("plugins", List.of(plugin));
        Files.createDirectories(root.resolve("net.d"));
        Files.writeString(root.resolve("net.d").resolve(NETWORK + ".conflist"), Json.write(list));

        Path bin = Files.createDirectories(root.resolve("cni-bin"));
        // the executable behind a wrapper that keeps a copy of each command and answer: proof that podman attached
        Path wrapper = bin.resolve("nfvlab-cni");
        // podman's cleanup process runs DEL without this test's environment, so through the JVM fallback: the roots
        // it may write in are set here, as a node's admin sets them for the runtime's plugins
        CniRoots roots = CniRoots.under(root);
        Files.writeString(wrapper, "#!/bin/sh\nexport " + CniRoots.SHARED_ROOT_ENV + "='" + roots.shared() + "' "
                + CniRoots.STATE_ROOT_ENV + "='" + roots.state() + "' " + CniRoots.IPAM_ROOT_ENV + "='" + roots.ipam()
                + "'\nout=$('" + CniExecutable.PATH.toRealPath() + "')\nrc=$?\n"
                + "printf '%s %s %s\\n' \"$CNI_COMMAND\" \"$rc\" \"$out\" >> '" + root.resolve("calls.log") + "'\n"
                + "printf '%s\\n' \"$out\"\nexit $rc\n");
        wrapper.toFile().setExecutable(true);
        Files.createSymbolicLink(bin.resolve("host-local"), Path.of("/usr/lib/cni/host-local"));
        Files.writeString(root.resolve("containers.conf"), "[network]\ncni_plugin_dirs = [\"" + bin + "\"]\n");
        Files.writeString(root.resolve("registries.conf"), "");
    }

    @Test
    void podmanAttachesAndDetachesContainersTwentyTimesLeavingNothing() throws Exception {
        network();
        Path rootfs = rootfs();
        long start = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            var r = podman(List.of("run", "--rm", "--network", NETWORK, "--ulimit", "nofile=1024:1024",
                    "--ulimit", "nproc=1024:1024", "--rootfs", rootfs.toString(), "/usr/bin/true"));
            assertThat(r.exitCode()).as("cycle " + i + ": " + r.stdout() + r.stderr()).isZero();
        }
        System.out.printf("podman: %d containers attached and detached in %.1f s%n", CYCLES, (System.nanoTime() - start) / 1e9);

        List<String> calls = Files.readAllLines(root.resolve("calls.log"));
        List<String> adds = calls.stream().filter(c -> c.startsWith("ADD 0 ")).toList();
        assertThat(adds).as("attachments made: " + calls).hasSize(CYCLES);
        assertThat(adds).allSatisfy(c -> assertThat(c).contains("{\"cniVersion\":\"1.0.0\"")
                .containsPattern("\"mac\":\"02(:[0-9a-f]{2}){5}\""));
        assertThat(calls.stream().filter(c -> c.startsWith("DEL 0")).count()).as("attachments undone: " + calls)
                .isGreaterThanOrEqualTo(CYCLES);
        assertThat(ourPorts()).as("plugin ports left on " + BRIDGE).isEmpty();
        var containers = podman(List.of("ps", "--all", "--quiet")).orThrow();
        assertThat(containers.stdout().strip()).as("containers left").isEmpty();
        for (String dir : List.of("state", "shared", "ipam/" + NETWORK)) {
            Path d = root.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(d)) {
                List<String> left = files.filter(p -> !p.equals(d)).map(root::relativize).map(Path::toString)
                        .filter(f -> !f.equals("ipam/" + NETWORK + "/lock") && !f.startsWith("ipam/" + NETWORK + "/last_reserved_ip"))
                        .toList();
                assertThat(left).as("left in " + dir).isEmpty();
            }
        }
    }
}
