package io.nfvlab.cni;

import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.PodAnnotations;
import io.nfvlab.agent.cni.Json;
import io.nfvlab.agent.cni.AttachmentNames;
import io.nfvlab.agent.traffic.testpmd.TestpmdRunner;
import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.apiserver.EmbeddedApiServer;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The plugin against the real OVS-DPDK, real host-local IPAM and real testpmd, invoked as a runtime invokes it: the
 * executable bin/nfvlab-cni as a process (CNI_* environment, configuration on stdin), which hands the invocation to
 * an agent's CNI socket (served in this JVM, wired as AgentMain wires it). One test takes the JVM path the
 * executable falls back to where no agent runs.
 */
class CniPluginIT {
    private static final String BRIDGE = "nvdkcni0";
    private static final String PEER = "nvdkcnip";
    private static final String NETNS = "nvdkcni-ns";
    private static final String NETWORK = "nvdkcni-net";
    @TempDir
    Path root;
    private Path peerSocket;
    private InProcessAgent agent;

    private static CommandRunner.Result run(String... argv) {
        return CommandRunner.run(List.of(argv), Duration.ofSeconds(20));
    }

    @BeforeEach
    void setUp() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: OVS ports, network namespaces");
        var dpdk = run("ovs-vsctl", "--timeout=5", "get", "Open_vSwitch", ".", "dpdk_initialized");
        assumeTrue(dpdk.ok() && dpdk.stdout().strip().equals("true"), "needs ovs-vswitchd with DPDK initialized");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/host-local")), "needs host-local (containernetworking-plugins)");
        peerSocket = root.resolve("peer.sock");
        run("ovs-vsctl", "--timeout=10", "--", "add-br", BRIDGE, "--", "set", "Bridge", BRIDGE, "datapath_type=netdev",
                "--", "add-port", BRIDGE, PEER, "--", "set", "Interface", PEER, "type=dpdkvhostuserclient",
                "options:vhost-server-path=" + peerSocket).orThrow();
        run("ip", "netns", "add", NETNS).orThrow();
        agent = new InProcessAgent(root);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (agent != null) {
            agent.close();
        }
        List<String> ports = ourPorts();
        run("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", BRIDGE);
        run("ip", "netns", "del", NETNS);
        assertThat(ports).as("plugin ports left on " + BRIDGE).isEmpty();
        assertThat(run("ovs-vsctl", "--timeout=5", "br-exists", BRIDGE).exitCode()).isEqualTo(2);
    }

    /** Ports on the test bridge other than the peer. */
    private static List<String> ourPorts() {
        var r = run("ovs-vsctl", "--timeout=5", "list-ports", BRIDGE);
        return r.ok() ? r.stdout().lines().filter(p -> !p.equals(PEER)).toList() : List.of();
    }

    private String conf() {
        return Json.write(CniFixtures.config(NETWORK, BRIDGE, root));
    }

    private Map<String, String> env(String command, String containerId) {
        return env(command, containerId, "net1");
    }

    private Map<String, String> env(String command, String containerId, String ifname) {
        return CniFixtures.env(command, containerId, "/var/run/netns/" + NETNS, ifname);
    }

    private CniExecutable.Run launch(Map<String, String> env, String stdin) throws Exception {
        return agent.run(env, stdin);
    }

    private void assertNothingLeft() throws IOException {
        assertThat(ourPorts()).isEmpty();
        try (Stream<Path> files = Files.walk(root)) {
            List<String> left = files.filter(Files::isRegularFile).map(root::relativize).map(Path::toString)
                    .filter(f -> !f.startsWith("ipam/" + NETWORK + "/lock") && !f.startsWith("ipam/" + NETWORK + "/last_reserved_ip"))
                    .toList();
            assertThat(left).as("state files, sockets, configs or IPAM reservations left").isEmpty();
        }
        try (Stream<Path> sockets = Files.walk(root.resolve("shared")).filter(p -> !Files.isDirectory(p))) {
            assertThat(sockets.toList()).isEmpty();
        } catch (java.nio.file.NoSuchFileException e) {
            // never created: nothing to leave
        }
    }

    @Test
    void containerAttachedByTheExecutablePassesTestpmdTrafficThroughTheBridge() throws Exception {
        String cid = "nvdkcni-container-1";
        CniExecutable.Run add = launch(env("ADD", cid), conf());
        assertThat(add.exitCode()).as(add.stdout()).isZero();
        Map<?, ?> result = (Map<?, ?>) Json.parse(add.stdout());
        Map<?, ?> iface = (Map<?, ?>) ((List<?>) result.get("interfaces")).get(0);
        Path socket = Path.of((String) iface.get("socketPath"));
        assertThat(socket.getParent()).isEqualTo(root.resolve("shared").resolve(cid));
        assertThat(((Map<?, ?>) ((List<?>) result.get("ips")).get(0)).get("address").toString()).startsWith("10.251.7.");
        assertThat(ourPorts()).containsExactly(AttachmentNames.port(cid, "net1"));
        assertThat(Files.readString(socket.resolveSibling(socket.getFileName() + ".json"))).contains("\"mode\":\"server\"");

        CniExecutable.Run check = launch(env("CHECK", cid), conf());
        assertThat(check.exitCode()).as(check.stdout()).isZero();

        // the "container": testpmd serving the plugin's socket, the other port on the bridge's peer port
        var report = TestpmdRunner.run(TestpmdRunner.Request.of(List.of(
                        new VhostSockets.Attachment("container", socket, true),
                        new VhostSockets.Attachment("peer", peerSocket, true)),
                "flowgen", 64, Duration.ofSeconds(3), "nvdkcni-tp"));
        assertThat(report.failed()).as(report.message()).isFalse();
        for (PairResult pair : report.pairs()) {
            System.out.printf("cni testpmd %s -> %s: rx %.3f Mpps, %d received%n", pair.getSource(), pair.getDestination(),
                    pair.getRxMpps(), pair.getReceived());
            assertThat(pair.getReceived()).as(pair.getSource() + " -> " + pair.getDestination()).isPositive();
        }

        CniExecutable.Run del = launch(env("DEL", cid), conf());
        assertThat(del.exitCode()).as(del.stdout()).isZero();
        assertThat(del.stdout()).isEmpty();
        CniExecutable.Run again = launch(env("DEL", cid), conf());
        assertThat(again.exitCode()).as("DEL is idempotent: " + again.stdout()).isZero();
        CniExecutable.Run checkGone = launch(env("CHECK", cid), conf());
        assertThat(checkGone.exitCode()).isNotZero();
        assertThat(checkGone.stdout()).contains("\"code\":100");
        assertNothingLeft();
    }

    @Test
    void agentPublishesThePodAnnotationOnAddAndWithdrawsItOnDel() throws Exception {
        try (var api = EmbeddedApiServer.start()) {
            api.client().pods().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("vnf-1").endMetadata().build()).create();
            try (var annotating = new InProcessAgent(new PodAnnotations(api.newClient()), CniRoots.under(root))) {
                Map<String, String> env = env("ADD", "nvdkcni-pod");
                env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=vnf-1;K8S_POD_INFRA_CONTAINER_ID=nvdkcni-pod");
                CniExecutable.Run add = annotating.run(env, conf());
                assertThat(add.exitCode()).as(add.stdout()).isZero();
                assertThat(add.stderr()).isEmpty();
                String annotation = api.client().pods().inNamespace("default").withName("vnf-1").get().getMetadata()
                        .getAnnotations().get(PodAnnotations.CONFIGURATION_DATA);
                assertThat(annotation).contains("\"ifName\":\"net1\"").contains("\"name\":\"" + NETWORK + "\"")
                        .contains(root.resolve("shared").resolve("nvdkcni-pod").toString());
                env.put("CNI_COMMAND", "DEL");
                assertThat(annotating.run(env, conf()).exitCode()).isZero();
                assertThat(api.client().pods().inNamespace("default").withName("vnf-1").get().getMetadata().getAnnotations())
                        .doesNotContainKey(PodAnnotations.CONFIGURATION_DATA);
            }
        }
        assertNothingLeft();
    }

    @Test
    void thousandAddDelCyclesThroughTheExecutableLeaveNothingBehind() throws Exception {
        String conf = conf();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            // long IDs too: they must hash to safe names
            String cid = (i % 10 == 0 ? "x".repeat(300) : "nvdkcni-cycle") + "-" + i;
            CniExecutable.Run add = launch(env("ADD", cid), conf);
            assertThat(add.exitCode()).as("ADD " + i + ": " + add.stdout()).isZero();
            CniExecutable.Run del = launch(env("DEL", cid), conf);
            assertThat(del.exitCode()).as("DEL " + i + ": " + del.stdout()).isZero();
        }
        System.out.printf("1000 ADD/DEL cycles through the executable and the agent: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertNothingLeft();
    }

    @Test
    void parallelInvocationsOfManyContainersAndOfOneContainerLeaveNothingBehind() throws Exception {
        String conf = conf();
        List<Map<String, String>> attachments = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            attachments.add(env("ADD", "nvdkcni-par-" + i));
        }
        for (int i = 2; i <= 5; i++) {
            attachments.add(env("ADD", "nvdkcni-multi", "net" + i)); // one container's interfaces share its directory
        }
        ExecutorService runtime = Executors.newFixedThreadPool(attachments.size());
        try {
            for (String command : List.of("ADD", "DEL")) {
                List<CompletableFuture<CniExecutable.Run>> runs = new ArrayList<>();
                for (Map<String, String> a : attachments) {
                    Map<String, String> env = new HashMap<>(a);
                    env.put("CNI_COMMAND", command);
                    runs.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return launch(env, conf);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, runtime));
                }
                for (CompletableFuture<CniExecutable.Run> run : runs) {
                    CniExecutable.Run out = run.get(120, TimeUnit.SECONDS);
                    assertThat(out.exitCode()).as(command + ": " + out.stdout()).isZero();
                }
                if (command.equals("ADD")) {
                    assertThat(ourPorts()).hasSize(attachments.size());
                    try (Stream<Path> configs = Files.list(root.resolve("shared").resolve("nvdkcni-multi"))) {
                        assertThat(configs.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                                "nvdkcni-mult-net2.json", "nvdkcni-mult-net3.json", "nvdkcni-mult-net4.json", "nvdkcni-mult-net5.json");
                    }
                }
            }
        } finally {
            runtime.shutdownNow();
        }
        assertNothingLeft();
    }

    @Test
    void gcRemovesAttachmentsTheRuntimeNoLongerKnows() throws Exception {
        String conf = conf();
        for (String cid : List.of("nvdkcni-keep", "nvdkcni-stale")) {
            assertThat(launch(env("ADD", cid), conf).exitCode()).isZero();
        }
        Map<String, Object> gcConf = CniFixtures.config(NETWORK, BRIDGE, root);
        gcConf.put("cni.dev/valid-attachments", List.of(Map.of("containerID", "nvdkcni-keep", "ifname", "net1")));
        CniExecutable.Run gc = launch(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/usr/lib/cni"), Json.write(gcConf));
        assertThat(gc.exitCode()).as(gc.stdout()).isZero();
        assertThat(ourPorts()).containsExactly(AttachmentNames.port("nvdkcni-keep", "net1"));
        CniExecutable.Run status = launch(Map.of("CNI_COMMAND", "STATUS"), conf);
        assertThat(status.exitCode()).as(status.stdout()).isZero();
        assertThat(launch(env("DEL", "nvdkcni-keep"), conf).exitCode()).isZero();
        assertNothingLeft();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSocketServedByOvsIsLinkedIntoTheContainersDirectory() throws Exception {
        // the older mode: OVS serves the socket (dpdkvhostuser), the container's application connects
        Map<String, Object> conf = CniFixtures.config(NETWORK, BRIDGE, root);
        ((Map<String, Object>) conf.get("host")).put("vhost", Map.of("mode", "server"));
        ((Map<String, Object>) conf.get("container")).put("vhost", Map.of("mode", "client"));
        String cid = "nvdkcni-served";
        CniExecutable.Run add = launch(env("ADD", cid), Json.write(conf));
        assertThat(add.exitCode()).as(add.stdout()).isZero();
        Path socket = Path.of((String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(add.stdout())).get("interfaces")).get(0)).get("socketPath"));
        assertThat(Files.isSameFile(socket, Path.of("/var/run/openvswitch", AttachmentNames.port(cid, "net1")))).isTrue();
        assertThat(launch(env("CHECK", cid), Json.write(conf)).exitCode()).isZero();
        assertThat(launch(env("DEL", cid), Json.write(conf)).exitCode()).isZero();
        assertNothingLeft();
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutADataDirHostLocalKeepsItsReservationInTheAgentsIpamRoot() throws Exception {
        // host-local's own default would be /var/lib/cni/networks: the agent names its IPAM root instead
        Map<String, Object> conf = CniFixtures.config(NETWORK, BRIDGE, root);
        ((Map<String, Object>) conf.get("ipam")).remove("dataDir");
        String cid = "nvdkcni-nodatadir";
        CniExecutable.Run add = launch(env("ADD", cid), Json.write(conf));
        assertThat(add.exitCode()).as(add.stdout()).isZero();
        String cidr = (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(add.stdout())).get("ips")).get(0)).get("address");
        String address = cidr.substring(0, cidr.indexOf('/'));
        // host-local's reservation: a file named by the address, holding the container ID
        assertThat(root.resolve("ipam").resolve(NETWORK).resolve(address)).content().startsWith(cid);
        assertThat(Path.of(CniRoots.DEFAULT_IPAM_ROOT, NETWORK, address)).doesNotExist();
        assertThat(launch(env("DEL", cid), Json.write(conf)).exitCode()).isZero();
        assertNothingLeft();
    }

    @Test
    void addToAMissingBridgeIsTryAgainLaterAndLeavesNothing() throws Exception {
        Map<String, Object> conf = CniFixtures.config(NETWORK, "nvdkcnimissing", root);
        CniExecutable.Run add = launch(env("ADD", "nvdkcni-nobridge"), Json.write(conf));
        assertThat(add.exitCode()).isNotZero();
        assertThat(add.stdout()).contains("\"code\":11").contains("nvdkcnimissing");
        assertNothingLeft();
    }

    @Test
    void withoutAnAgentTheExecutableFallsBackToTheJvmPlugin() throws Exception {
        // no agent socket and the default fallback: nfvlab-cni-jvm next to the executable, with the packaged jar
        Map<String, String> noAgent = new HashMap<>();
        noAgent.put("NFVLAB_CNI_SOCKET", root.resolve("no-agent.sock").toString());
        // the roots a node's admin gives the runtime's plugins; the network configuration's dirs are below them
        noAgent.put(CniRoots.SHARED_ROOT_ENV, CniRoots.under(root).shared().toString());
        noAgent.put(CniRoots.STATE_ROOT_ENV, CniRoots.under(root).state().toString());
        noAgent.put(CniRoots.IPAM_ROOT_ENV, CniRoots.under(root).ipam().toString());
        String cid = "nvdkcni-jvm";
        for (String command : List.of("ADD", "CHECK", "DEL")) {
            Map<String, String> env = new HashMap<>(env(command, cid));
            env.putAll(noAgent);
            CniExecutable.Run out = CniExecutable.run(env, conf());
            assertThat(out.exitCode()).as(command + ": " + out.stdout() + out.stderr()).isZero();
            if (command.equals("ADD")) {
                assertThat(out.stdout()).contains("\"socketPath\"").endsWith("}\n");
                assertThat(ourPorts()).containsExactly(AttachmentNames.port(cid, "net1"));
            }
        }
        Map<String, String> version = new HashMap<>(noAgent);
        version.put("CNI_COMMAND", "VERSION");
        assertThat(CniExecutable.run(version, "").stdout()).contains("\"supportedVersions\"");
        assertNothingLeft();
    }
}
