package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.NodeAgent;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Container hosts on a cluster node, for real as far as this machine allows: the in-process API server, the real
 * operator, the real agent (Linux kernel, pod hosts on) — and THIS TEST PLAYS THE KUBELET, since none runs here. When
 * the operator creates a host's Pod, the test starts a real podman container for it ({@code --network none}, as a pod
 * sandbox without a cluster network) and runs the real nfvlab CNI executable (cni-plugin/bin/nfvlab-cni, the C thin
 * client) with CNI_COMMAND=ADD, CNI_NETNS=/proc/PID/ns/net, the pod's identity in CNI_ARGS and the network
 * configuration the chart installs (charts/nfvlab/files/pod-hosts-network.json), as Multus would for the pod's
 * nfvlab-hosts network. Then: pingall between the operator's pod host, a referenced pod (podRef: a user's pod the
 * test also plays the kubelet for) and a namespace host at 0 % loss; a pod restart (DEL, a new container, a new ADD)
 * gets its links again; deleting the topology deletes the operator's Pod and leaves the referenced one running without
 * nfvlab's interface, and after the test (as the kubelet) runs DEL and removes the containers nothing is left: no
 * namespace name, veth, record or bind mount.
 * <p>
 * Not covered: a real kubelet, CRI runtime or Multus (the order and environment of their calls are played here).
 */
class KubeletPlayedPodHostsIT {
    private static final String NS = "lab";
    private static final Path CNI_EXECUTABLE = Path.of("../cni-plugin/bin/nfvlab-cni").toAbsolutePath().normalize();
    private static final Path CHART_NETWORK = Path.of("../charts/nfvlab/files/pod-hosts-network.json").toAbsolutePath().normalize();
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String IMAGE = "localhost/nfvlab-kubelet-it:1";

    private final String tag = "kp" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
    private final String node = tag + "-node";
    private final String topology = tag + "-lab";
    private Path work;
    private List<String> podman;
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private NodeAgent agent;
    private final List<String> containers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: namespaces, veths, bind mounts and podman");
        assumeTrue(CommandRunner.run(List.of("podman", "--version"), Duration.ofSeconds(20)).ok(), "podman is not installed");
        assertThat(BUSYBOX).as("busybox-static (scripts/setup-host.sh installs it) makes the test image").isExecutable();
        assertThat(CNI_EXECUTABLE).as("the C thin client, built by the cni-plugin module").isExecutable();
        work = Files.createTempDirectory("nfvlab-kubelet-it-");
        podman = List.of("podman", "--root", work.resolve("storage").toString(), "--runroot", work.resolve("run").toString(),
                "--storage-driver", "vfs", "--events-backend", "file", "--cgroup-manager", "cgroupfs", "--runtime", "runc");
        Path rootfs = work.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep", "ip")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        check(List.of("tar", "-C", rootfs.toString(), "-cf", work.resolve("rootfs.tar").toString(), "."));
        check(podman("import", "-q", "--change", "CMD [\"/bin/sleep\",\"100000\"]", work.resolve("rootfs.tar").toString(), IMAGE));

        server = EmbeddedApiServer.start();
        admin = server.client();
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
        agent = NodeAgent.builder().client(server.newClient()).nodeName(node).embedded(true).sweepOrphansOnStart(false)
                .traffic(true).cniSocket(work.resolve("cni.sock")).podSandboxDir(work.resolve("pods")).start();
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (admin != null && admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get() != null) {
                admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).delete();
                await().atMost(Duration.ofSeconds(30)).until(() -> admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
            }
        } finally {
            if (!containers.isEmpty()) {
                List<String> rm = new ArrayList<>(podman("rm", "-f", "-t", "0"));
                rm.addAll(containers);
                CommandRunner.run(rm, Duration.ofSeconds(60));
            }
            if (agent != null) agent.close();
            if (operator != null) operator.close();
            if (server != null) server.close();
            if (work != null) {
                // a failed run may have left a sandbox record: its bind mount would keep a namespace alive
                try (Stream<Path> records = Files.isDirectory(work.resolve("pods")) ? Files.list(work.resolve("pods")) : Stream.empty()) {
                    records.filter(p -> p.toString().endsWith(".netns"))
                            .forEach(p -> CommandRunner.run(List.of("umount", p.toString()), Duration.ofSeconds(10)));
                }
                CommandRunner.run(podman("rmi", "-a", "-f"), Duration.ofSeconds(60));
                // podman's vfs store holds read-only directories: rm -rf rather than a Java walk
                CommandRunner.run(List.of("rm", "-rf", "--one-file-system", work.toString()), Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void aPodHostJoinsTheTopologyThroughCniAddGetsItsLinksBackAfterARestartAndLeavesNothingBehind() throws Exception {
        // a user's pod, already running on our node, which the topology references (podRef) as host r2
        Pod app = admin.pods().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(tag + "-app").withNamespace(NS).endMetadata().withNewSpec().withNodeName(node).addNewContainer()
                .withName("app").withImage(IMAGE).endContainer().endSpec().build()).create();
        Sandbox appSandbox = startSandbox(app, 1);
        CniCall appAdd = cni("ADD", appSandbox, app);
        assertThat(appAdd.exitCode()).as(appAdd.stdout()).isZero();
        admin.resource(topology()).create();

        // the kubelet's part: the operator created the Pod on our node; start its sandbox and call CNI ADD
        Pod pod = explained(() -> await().atMost(Duration.ofSeconds(30)).until(() -> admin.pods().inNamespace(NS).withName(topology + "-r1").get(),
                p -> p != null));
        assertThat(pod.getSpec().getNodeName()).isEqualTo(node);
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("k8s.v1.cni.cncf.io/networks", Nfvlab.DEFAULT_SYSTEM_NAMESPACE + "/nfvlab-hosts");
        Sandbox first = startSandbox(pod, 1);
        CniCall add = cni("ADD", first, pod);
        assertThat(add.exitCode()).as(add.stdout()).isZero();
        assertThat(add.stdout()).startsWith("{\"cniVersion\":\"1.0.0\"");

        awaitReady();
        String token = token();
        assertThat(containerLinks(first)).as("the link is eth1 inside the pod's own namespace").contains("eth1");
        assertThat(containerLinks(appSandbox)).as("the referenced pod got its link too").contains("eth1");
        assertPingallWithoutLoss("first");
        String firstMac = macOf(first, "eth1");

        // a pod restart: the runtime calls DEL for the old sandbox, then ADD for a new one
        CniCall del = cni("DEL", first, pod);
        assertThat(del.exitCode()).as(del.stdout()).isZero();
        assertThat(netnsNames()).as("DEL drops the namespace name").doesNotContain(KernelNames.hostNetns(token, "r1"));
        assertThat(containerLinks(first)).as("DEL removes nfvlab's interfaces from the sandbox").doesNotContain("eth1");
        removeSandbox(first);
        Sandbox second = startSandbox(pod, 2);
        CniCall again = cni("ADD", second, pod);
        assertThat(again.exitCode()).as(again.stdout()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(containerLinks(second)).contains("eth1"));
        awaitReady();
        // a new MAC left the neighbours' entries pointing at the old one: pingall lost echoes the network did not lose
        assertThat(macOf(second, "eth1")).as("the restarted pod's link keeps its MAC").isEqualTo(firstMac);
        assertPingallWithoutLoss("second");

        // topology deleted: the operator deletes the Pod, and the kubelet (this test) tears its sandbox down
        admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.pods().inNamespace(NS).withName(topology + "-r1").get() == null);
        CniCall last = cni("DEL", second, pod);
        assertThat(last.exitCode()).as(last.stdout()).isZero();
        removeSandbox(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get() == null);
        // the referenced pod is left as it was, minus the interface nfvlab added
        assertThat(admin.pods().inNamespace(NS).withName(app.getMetadata().getName()).get()).isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(containerLinks(appSandbox)).doesNotContain("eth1"));
        // and when its user deletes it one day, the kubelet's DEL finds nothing of nfvlab's left to take out
        CniCall appDel = cni("DEL", appSandbox, app);
        assertThat(appDel.exitCode()).as(appDel.stdout()).isZero();
        assertThat(appDel.stdout()).isEmpty();
        removeSandbox(appSandbox);

        assertThat(netnsNames()).as("namespace names left behind").noneMatch(n -> n.startsWith(Nfvlab.NETNS_PREFIX + token));
        // the switch namespace's marker goes when the kernel has destroyed that namespace, after the teardown: 30 s
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout())
                        .as("root-namespace links left behind").doesNotContain(KernelNames.ROOT_PREFIX + token));
        try (Stream<Path> records = Files.list(work.resolve("pods"))) {
            assertThat(records.toList()).as("sandbox records left behind").isEmpty();
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("bind mounts left behind").doesNotContain(work.toString());
    }

    private VirtualTopology topology() {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(topology);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(VirtualTopologySpec.builder()
                .switchKind(SwitchKind.LINUX_BRIDGE)
                .host(HostSpec.builder().name("r1").pod(PodHostSpec.builder()
                        .template(PodTemplate.builder().image(IMAGE).build()).build()).build())
                .host(HostSpec.builder().name("r2").pod(PodHostSpec.builder().podRef(tag + "-app").build()).build())
                .host(HostSpec.builder().name("h1").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("r1").b("s1").build())
                .link(LinkSpec.builder().a("r2").b("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .build());
        return vt;
    }

    private record Sandbox(String id, String name, long pid) {
        Path netns() {
            return Path.of("/proc", Long.toString(pid), "ns", "net");
        }
    }

    private record CniCall(int exitCode, String stdout) {
    }

    /** What the kubelet's runtime does for a pod: a sandbox with a network namespace of its own and no network. */
    private Sandbox startSandbox(Pod pod, int attempt) {
        String name = pod.getMetadata().getName() + "-" + attempt;
        String id = check(podman("run", "-d", "--name", name, "--network", "none", "--pull", "never",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", IMAGE)).stdout().trim();
        containers.add(name);
        long pid = Long.parseLong(check(podman("inspect", "--format", "{{.State.Pid}}", name)).stdout().trim());
        return new Sandbox(id, name, pid);
    }

    private void removeSandbox(Sandbox s) {
        check(podman("rm", "-f", "-t", "0", s.name()));
        containers.remove(s.name());
    }

    /** The real CNI executable, invoked as a runtime (through Multus) invokes it: environment, stdin, one answer. */
    private CniCall cni(String command, Sandbox s, Pod pod) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(CNI_EXECUTABLE.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", s.id());
        env.put("CNI_NETNS", s.netns().toString());
        env.put("CNI_IFNAME", "net1");
        env.put("CNI_PATH", "/opt/cni/bin:/usr/lib/cni");
        env.put("CNI_ARGS", "IgnoreUnknown=true;K8S_POD_NAMESPACE=" + NS + ";K8S_POD_NAME=" + pod.getMetadata().getName()
                + ";K8S_POD_INFRA_CONTAINER_ID=" + s.id() + ";K8S_POD_UID=" + pod.getMetadata().getUid());
        env.put("NFVLAB_CNI_SOCKET", agent.cniSocket().toString());
        env.put("NFVLAB_CNI_FALLBACK", "");
        pb.redirectErrorStream(false);
        Process p = pb.start();
        p.getOutputStream().write(Files.readAllBytes(CHART_NETWORK));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CniCall(p.exitValue(), out);
    }

    /** On a timeout, what the topology and its node states said last. */
    private <T> T explained(java.util.concurrent.Callable<T> waiting) throws Exception {
        try {
            return waiting.call();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            VirtualTopology t = admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get();
            throw new AssertionError(e.getMessage() + "\nTOPOLOGY " + (t == null ? null : t.getStatus())
                    + "\nSTATES " + admin.resources(NetworkNodeState.class).list().getItems().stream().map(NetworkNodeState::getStatus).toList(), e);
        }
    }

    private void awaitReady() throws Exception {
        explained(() -> {
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(() -> {
                VirtualTopology t = admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get();
                return t != null && t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
            });
            return true;
        });
    }

    private String token() {
        return admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get().getStatus().getToken();
    }

    /** pingall through the operator and the agent, as a user runs it: r1, r2 and h1 each to the others, every packet back. */
    private void assertPingallWithoutLoss(String name) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(tag + "-" + name);
        t.getMetadata().setNamespace(NS);
        t.setSpec(TrafficTestSpec.builder().type(TrafficType.PINGALL).topologyRef(ObjectRef.builder().name(topology).build()).build());
        admin.resource(t).create();
        TrafficTest done = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin.resources(TrafficTest.class).inNamespace(NS).withName(tag + "-" + name).get(),
                        x -> x.getStatus() != null && (x.getStatus().getPhase() == TrafficTestStatus.Phase.SUCCEEDED
                                || x.getStatus().getPhase() == TrafficTestStatus.Phase.FAILED));
        assertThat(done.getStatus().getSummary()).as("%s", done.getStatus()).isEqualTo("Results: 0% dropped (6/6 received)");
        admin.resource(done).delete();
    }

    /** The interfaces of the sandbox, as its own processes see them (busybox's ip inside the container). */
    private String containerLinks(Sandbox s) {
        return check(podman("exec", s.name(), "ip", "-o", "link", "show")).stdout();
    }

    /** The MAC of one interface of the sandbox, from {@code ip -o link show DEV} inside it. */
    private String macOf(Sandbox s, String device) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("link/ether ([0-9a-f:]{17})")
                .matcher(check(podman("exec", s.name(), "ip", "-o", "link", "show", device)).stdout());
        assertThat(m.find()).as("a MAC on %s in %s", device, s.name()).isTrue();
        return m.group(1);
    }

    private static List<String> netnsNames() {
        return CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .map(l -> l.split(" ")[0]).toList();
    }

    private List<String> podman(String... rest) {
        List<String> a = new ArrayList<>(podman);
        a.addAll(List.of(rest));
        return a;
    }

    private static CommandRunner.Result check(List<String> argv) {
        CommandRunner.Result r = CommandRunner.run(argv, Duration.ofSeconds(120));
        if (!r.ok()) {
            throw new IllegalStateException(r.describe());
        }
        return r;
    }
}
