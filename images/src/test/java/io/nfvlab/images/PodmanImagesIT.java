package io.nfvlab.images;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.cli.ResourceFiles;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The images scripts/build-images.sh makes, run in a real container runtime (podman) as a cluster would run them,
 * against an in-process API server in this JVM (it listens on loopback; the containers share the host network):
 * <ul>
 *   <li>the agent image as the agent DaemonSet runs it (not privileged: the chart's capabilities, host network and
 *       PID, /run/netns shared back to
 *       the host, the node's OVS socket directory, /var/lib/cni, a kubeconfig) with the operator in this JVM: linear-4
 *       on OVS switches becomes Ready, pingall loses nothing, deletion leaves no namespace, link or OVS bridge;</li>
 *   <li>the operator image as the chart's Deployment runs it (user 65532, read-only root filesystem, an emptyDir-like
 *       tmpfs at /tmp, no capabilities) with the agent image beside it: examples/linear-4.yaml as it is, the same
 *       checks.</li>
 * </ul>
 * Images are loaded with {@code podman load} into a podman store of this test's own (so nothing of a machine's podman
 * images or containers is touched) and removed, with every container, at the end. Skipped, saying why, without root,
 * podman or the archives ({@code sudo scripts/build-images.sh} makes them).
 */
class PodmanImagesIT {
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 6);
    private static final String NODE = "podman-it-" + RUN_ID;
    private static final String SYSTEM_NAMESPACE = "nfvlab-system";

    private static Path work;
    private static List<String> podman;
    private static String agentImage;
    private static String operatorImage;
    private static EmbeddedApiServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;
    private static Path nfvlabRun;
    private static final List<String> containers = new ArrayList<>();

    private static String skipReason;

    private NfvlabOperator inJvmOperator;

    @BeforeEach
    void skipWhereTheImagesCannotRun() {
        assumeTrue(skipReason == null, skipReason);
    }

    @BeforeAll
    static void loadImagesAndStartApiServer() throws Exception {
        Path dir = Path.of(System.getProperty("nfvlab.images.dir", "target/images")).toAbsolutePath().normalize();
        String version = System.getProperty("nfvlab.images.version", "0.1.0-SNAPSHOT");
        Path agentArchive = dir.resolve("nfvlab-agent-" + version + ".oci.tar");
        Path operatorArchive = dir.resolve("nfvlab-operator-" + version + ".oci.tar");
        // checked here, reported by each test (a class-level assumption's reason never reaches the test report)
        if (!"root".equals(System.getProperty("user.name"))) {
            skipReason = "needs root: podman runs an agent container with network capabilities that builds namespaces and links";
        } else if (!run(Duration.ofSeconds(20), List.of("podman", "--version")).ok()) {
            skipReason = "podman is not installed (apt-get install podman runc)";
        } else if (!Files.isRegularFile(agentArchive) || !Files.isRegularFile(operatorArchive)) {
            skipReason = "no image archives " + agentArchive.getFileName() + " and " + operatorArchive.getFileName() + " in "
                    + dir + ": build them with `sudo scripts/build-images.sh` (≈11 min from scratch, ≈1.5 min cached)";
        }
        if (skipReason != null) {
            System.err.println("PodmanImagesIT skipped: " + skipReason);
            return;
        }

        work = Files.createTempDirectory("nfvlab-podman-it-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        // a store of this test's own; vfs: works on any backing filesystem, and nothing stays mounted after a crash
        podman = List.of("podman", "--root", work.resolve("storage").toString(), "--runroot", work.resolve("run").toString(),
                "--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--events-backend", "file");
        agentImage = load(agentArchive);
        operatorImage = load(operatorArchive);

        server = EmbeddedApiServer.start();
        client = server.newClient();
        // what a ServiceAccount mount gives a pod: readable by the operator's user 65532
        kubeconfig = work.resolve("kubeconfig");
        Files.writeString(kubeconfig, server.kubeconfig("default"));
        Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));
        // the agent's socket directory (/run/nfvlab in the DaemonSet), private to this test: the host's may hold the
        // CNI socket of another agent
        nfvlabRun = Files.createDirectory(work.resolve("run-nfvlab"));
        // /run/netns must be a shared mount point for the agent's namespaces to reach the host; `ip netns add` makes
        // it one (the privileged init step a node without it needs does the same)
        String probe = "nfvpit-" + RUN_ID;
        check(List.of("ip", "netns", "add", probe));
        check(List.of("ip", "netns", "del", probe));
    }

    @AfterAll
    static void removeEverything() throws Exception {
        List<String> problems = new ArrayList<>();
        if (podman != null) {
            for (String c : containers) {
                run(Duration.ofSeconds(30), concat(podman, "rm", "-f", "-t", "5", c));
            }
            for (String image : new String[]{agentImage, operatorImage}) {
                if (image != null) {
                    run(Duration.ofSeconds(60), concat(podman, "rmi", "-f", image));
                }
            }
            Result left = run(Duration.ofSeconds(30), concat(podman, "ps", "-a", "--format", "{{.Names}}"));
            Result images = run(Duration.ofSeconds(30), concat(podman, "images", "-q"));
            if (!left.out().isBlank()) {
                problems.add("containers left: " + left.out().strip());
            }
            if (!images.out().isBlank()) {
                problems.add("images left: " + images.out().strip());
            }
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertThat(problems).as("podman state after the test").isEmpty();
    }

    @AfterEach
    void stopInJvmOperator() {
        if (inJvmOperator != null) {
            inJvmOperator.close();
            inJvmOperator = null;
        }
    }

    @Test
    void agentImageBuildsLinear4OnOvsAndPingallLosesNothing() throws Exception {
        assumeTrue(run(Duration.ofSeconds(10), List.of("ovs-vsctl", "--timeout=5", "show")).ok(),
                "Open vSwitch is not running on this machine (scripts/setup-host.sh starts it)");
        inJvmOperator = NfvlabOperator.start(server.newClient(), OperatorConfig.builder().embedded(true).build());
        String agent = startAgentContainer();

        ResourceFiles docs = example("linear-4.yaml");
        VirtualTopology topology = docs.topologies().get(0);
        topology.getSpec().setSwitchKind(SwitchKind.OVS);
        // as `mn --arp`: with one ping per pair, an ARP exchange plus the userspace datapath's first upcalls on a busy
        // 2-core machine occasionally cost a pair its only ping (seen once: 11/12); what this test checks is that the
        // containerized agent builds and drives OVS, not first-packet latency
        topology.getSpec().setStaticArp(true);
        buildPingAndTearDown("agent-" + RUN_ID, topology, pingall(docs), agent);
        stop(agent);
    }

    @Test
    void operatorImageReconcilesLinear4ForTheAgentImage() throws Exception {
        String agent = startAgentContainer();
        String operator = "nfvlab-it-operator-" + RUN_ID;
        containers.add(operator);
        // as the chart's Deployment: non-root 65532 (the image's user), read-only root filesystem, /tmp an emptyDir,
        // no capabilities, only args after the image's entrypoint
        check(concat(podman, "run", "-d", "--name", operator, "--network", "host",
                "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,size=64m,mode=1777",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                "-v", kubeconfig + ":/etc/nfvlab/kubeconfig:ro",
                operatorImage,
                "--kubeconfig=/etc/nfvlab/kubeconfig", "--embedded", "--system-namespace=" + SYSTEM_NAMESPACE,
                "--metrics-port=" + freePort()));
        Result user = run(Duration.ofSeconds(20), concat(podman, "exec", operator, "/usr/bin/id", "-u"));
        assertThat(user.out().strip()).as("the operator's user").isEqualTo("65532");

        ResourceFiles docs = example("linear-4.yaml");
        buildPingAndTearDown("operator-" + RUN_ID, docs.topologies().get(0), pingall(docs), agent, operator);
        stop(operator);
        stop(agent);
    }

    /**
     * The agent container as the chart's DaemonSet runs it by default: not privileged, all capabilities dropped but
     * those of charts/nfvlab/values.yaml (security.agentPrivileged), the runtime's default seccomp profile.
     */
    private String startAgentContainer() throws Exception {
        String name = "nfvlab-it-agent-" + RUN_ID + "-" + containers.size();
        containers.add(name);
        Files.createDirectories(Path.of("/var/run/openvswitch"));
        Files.createDirectories(Path.of("/var/lib/cni"));
        // explicit ulimits: podman's defaults (1048576 open files) exceed the hard limit this process may hand on
        check(concat(podman, "run", "-d", "--name", name,
                "--cap-drop", "ALL", "--cap-add", "NET_ADMIN,SYS_ADMIN,NET_RAW,SYS_NICE,IPC_LOCK",
                "--security-opt", "apparmor=unconfined",
                "--network", "host", "--pid", "host",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                "-e", "NODE_NAME=" + NODE,
                "-v", "/run/netns:/run/netns:rshared",
                "-v", "/var/run/openvswitch:/var/run/openvswitch",
                "-v", "/dev/hugepages:/dev/hugepages",
                "-v", "/var/lib/cni:/var/lib/cni",
                "-v", nfvlabRun + ":/run/nfvlab",
                "-v", kubeconfig + ":/etc/nfvlab/kubeconfig:ro",
                agentImage,
                "--kubeconfig=/etc/nfvlab/kubeconfig", "--embedded", "--system-namespace=" + SYSTEM_NAMESPACE,
                // the API server of this test starts empty: everything marked on this machine would look orphaned
                "--no-sweep", "--metrics-port=" + freePort()));
        return name;
    }

    private void buildPingAndTearDown(String namespace, VirtualTopology topology, TrafficTest pingall, String... logsOf)
            throws Exception {
        try {
            topology.getMetadata().setNamespace(namespace);
            pingall.getMetadata().setNamespace(namespace);
            long t0 = System.nanoTime();
            client.resource(topology).create();
            awaitOrDump(() -> isReady(namespace, topology.getMetadata().getName()), logsOf);
            long ready = System.nanoTime();
            client.resource(pingall).create();
            awaitOrDump(() -> {
                TrafficTest t = client.resources(TrafficTest.class).inNamespace(namespace).withName(pingall.getMetadata().getName()).get();
                TrafficTestStatus.Phase phase = t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
                return phase == TrafficTestStatus.Phase.SUCCEEDED || phase == TrafficTestStatus.Phase.FAILED;
            }, logsOf);
            TrafficTest done = client.resources(TrafficTest.class).inNamespace(namespace).withName(pingall.getMetadata().getName()).get();
            System.out.printf("%s: Ready in %.1f s, pingall: %s (%.1f s)%n", namespace, (ready - t0) / 1e9,
                    done.getStatus().getSummary(), (System.nanoTime() - ready) / 1e9);
            assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(TrafficTestStatus.Phase.SUCCEEDED);
            assertThat(done.getStatus().getSummary()).contains("0% dropped");

            Set<String> tokens = new TreeSet<>();
            client.resources(NetworkNodeState.class).list().getItems().forEach(s -> tokens.add(s.getSpec().getOwner().getToken()));
            assertThat(tokens).isNotEmpty();
            assertThat(netnsOf(tokens)).as("host namespaces of the topology, made in the agent container").hasSize(4);

            client.resource(pingall).delete();
            client.resource(topology).delete();
            awaitOrDump(() -> client.resources(VirtualTopology.class).inNamespace(namespace).list().getItems().isEmpty()
                    && client.resources(NetworkNodeState.class).list().getItems().isEmpty(), logsOf);
            assertThat(netnsOf(tokens)).as("namespaces left").isEmpty();
            assertThat(linksOf(tokens)).as("links left").isEmpty();
            assertThat(ovsBridgesOf(tokens)).as("OVS bridges left").isEmpty();
        } finally {
            // also after a failure: delete while the agent container still runs, and wait until it has torn down
            // (it releases the node states' finalizers only once the kernel and OVS are clean)
            client.resources(TrafficTest.class).inNamespace(namespace).delete();
            client.resources(VirtualTopology.class).inNamespace(namespace).delete();
            long deadline = System.nanoTime() + READY.toNanos();
            while (!client.resources(NetworkNodeState.class).list().getItems().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
        }
    }

    private static boolean isReady(String namespace, String name) {
        VirtualTopology t = client.resources(VirtualTopology.class).inNamespace(namespace).withName(name).get();
        return t != null && t.getStatus() != null
                && Conditions.find(t.getStatus().getConditions(), Conditions.READY).map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    }

    private void awaitOrDump(java.util.concurrent.Callable<Boolean> condition, String... logsOf) throws Exception {
        try {
            await().atMost(READY).pollInterval(Duration.ofMillis(250)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            for (String c : logsOf) {
                System.out.println("---- podman logs " + c + "\n" + run(Duration.ofSeconds(20), concat(podman, "logs", "--tail", "60", c)).out());
            }
            throw e;
        }
    }

    private void stop(String container) throws Exception {
        check(concat(podman, "rm", "-f", "-t", "10", container));
        containers.remove(container);
    }

    /** An example file as the CLI reads it (typed and validated). */
    private static ResourceFiles example(String file) {
        return ResourceFiles.load(List.of(Path.of(System.getProperty("nfvlab.examples.dir", "../examples")).resolve(file)));
    }

    private static TrafficTest pingall(ResourceFiles docs) {
        return docs.tests().stream().filter(t -> t.getSpec().getType() == TrafficType.PINGALL).findFirst().orElseThrow();
    }

    private static List<String> netnsOf(Set<String> tokens) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/run/netns"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> tokens.stream().anyMatch(t -> n.startsWith("nfv-" + t + "-"))).sorted().toList();
        }
    }

    private static List<String> linksOf(Set<String> tokens) throws Exception {
        return run(Duration.ofSeconds(10), List.of("ip", "-o", "link", "show")).out().lines()
                .filter(l -> tokens.stream().anyMatch(t -> l.contains("nv" + t) || l.contains("nfvlab:" + t))).toList();
    }

    private static List<String> ovsBridgesOf(Set<String> tokens) throws Exception {
        Result r = run(Duration.ofSeconds(10), List.of("ovs-vsctl", "--timeout=5", "list-br"));
        return !r.ok() ? List.of() : r.out().lines().filter(l -> tokens.stream().anyMatch(t -> l.contains(t))).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String load(Path archive) throws Exception {
        long t0 = System.nanoTime();
        Result r = check(concat(podman, "load", "-q", "-i", archive.toString()));
        String image = r.out().lines().filter(l -> l.startsWith("Loaded image")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst().orElseThrow(() -> new AssertionError("podman load printed no image name: " + r.out()));
        System.out.printf("podman load %s: %s in %.1f s%n", archive.getFileName(), image, (System.nanoTime() - t0) / 1e9);
        return image;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private record Result(int code, String out) {
        boolean ok() {
            return code == 0;
        }
    }

    private static Result check(List<String> argv) throws Exception {
        Result r = run(Duration.ofSeconds(300), argv);
        assertThat(r.code()).as(String.join(" ", argv) + " failed:\n" + r.out()).isZero();
        return r;
    }

    /** Runs an argument vector (never a shell), output and errors together. */
    private static Result run(Duration timeout, List<String> argv) throws Exception {
        Path out = Files.createTempFile("nfvlab-podman-it-", ".out");
        try {
            Process p;
            try {
                p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                return new Result(127, e.getMessage());
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(124, "timed out after " + timeout + ": " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
