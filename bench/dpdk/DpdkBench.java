import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.agent.cni.CniSocketServer;
import io.nfvlab.agent.cni.AttachmentPublisher;
import io.nfvlab.agent.cni.CniPlugin;
import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.ContainerLocks;
import io.nfvlab.agent.ovsdpdk.OvsDpdkBridges;
import io.nfvlab.agent.traffic.testpmd.TestpmdRunner;
import io.nfvlab.agent.traffic.testpmd.TestpmdOutput;
import io.nfvlab.agent.ovsdpdk.VhostSockets;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.api.traffic.PairResult;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DPDK and CNI benchmarks, printed side by side (run through bench/dpdk/run.sh, as root, on a machine prepared by
 * scripts/setup-host.sh):
 *   1. testpmd Mpps (64-byte frames, one testpmd, two virtio_user ports, flowgen) through a DpdkBridge built by
 *      OvsDpdkBridges, through the same bridge built by hand with ovs-vsctl/ovs-ofctl, and vhost <-> virtio_user
 *      with no OVS at all (the limit of this machine);
 *   2. CNI ADD and DEL latency, p50/p99, of the nfvlab plugin (the executable, as a runtime calls it, handing the
 *      work to an agent's CNI socket; and its JVM fallback without an agent) next to the reference bridge plugin,
 *      both with host-local IPAM, with the time spent inside the agent and the client's round-trip floor.
 * Everything it creates is named nvdkb* and removed at the end.
 */
public class DpdkBench {
    static final Path WORK = Path.of("/tmp/nvdkb-bench");
    static final int RUNS = Integer.getInteger("runs", 3);
    static final int SECONDS = Integer.getInteger("seconds", 5);
    static final int CNI_SAMPLES = Integer.getInteger("cniSamples", 60);

    public static void main(String[] args) throws Exception {
        Files.createDirectories(WORK);
        try {
            if (!Boolean.getBoolean("skipMpps")) {
                mpps();
            }
            if (!Boolean.getBoolean("skipCni")) {
                cni(Path.of(args.length > 0 ? args[0] : "cni-plugin/bin/nfvlab-cni"));
            }
        } finally {
            sh("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", "nvdkb0");
            sh("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", "nvdkb1");
            sh("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", "nvdkbc0");
            sh("ip", "link", "del", "nvdkbbr0");
            sh("ip", "netns", "del", "nvdkb-ns");
            sh("rm", "-rf", WORK.toString());
        }
    }

    // ---------------------------------------------------------------- Mpps
    static void mpps() throws Exception {
        List<double[]> viaCrd = new ArrayList<>();
        List<double[]> byHand = new ArrayList<>();
        List<double[]> noOvs = new ArrayList<>();
        int failed = 0;
        for (int run = 0; run < RUNS; run++) {
            // a run that fails (a busy machine can stall ovs-vswitchd or testpmd) is reported and left out
            for (int kind = 0; kind < 3; kind++) {
                try {
                    switch (kind) {
                        case 0 -> viaCrd.add(dpdkBridgeRun());
                        case 1 -> byHand.add(handBuiltRun());
                        default -> noOvs.add(noOvsRun());
                    }
                } catch (Exception e) {
                    failed++;
                    System.out.println("  run failed: " + e.getMessage());
                }
            }
        }
        if (viaCrd.isEmpty() || byHand.isEmpty() || noOvs.isEmpty()) {
            System.out.println("testpmd: not enough successful runs to compare (" + failed + " failed)");
            return;
        }
        System.out.println();
        System.out.printf("testpmd 64-byte flowgen, %d s per run, %d runs (%d failed), median of each (Mpps: a->b, b->a, total)%n",
                SECONDS, RUNS, failed);
        System.out.printf("  (load average while measuring: %s)%n", loadAverage());
        double crd = row("DpdkBridge (OvsDpdkBridges, port-pairs)", viaCrd);
        double hand = row("same bridge built by hand (ovs-vsctl)", byHand);
        double limit = row("vhost <-> virtio_user, no OVS", noOvs);
        System.out.printf("  DpdkBridge / by hand: %.0f %%   DpdkBridge / no-OVS limit: %.0f %%%n", 100 * crd / hand, 100 * crd / limit);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static double row(String name, List<double[]> runs) {
        double a = median(runs.stream().mapToDouble(r -> r[0]).toArray());
        double b = median(runs.stream().mapToDouble(r -> r[1]).toArray());
        double t = median(runs.stream().mapToDouble(r -> r[0] + r[1]).toArray());
        System.out.printf("  %-42s %7.2f %7.2f %7.2f%n", name, a, b, t);
        return t;
    }

    static double[] dpdkBridgeRun() {
        Path dir = WORK.resolve("crd");
        DpdkBridgeSpec spec = DpdkBridgeSpec.builder().bridgeName("nvdkb0")
                .port(VhostUserPort.builder().name("nvdkb0a").build())
                .port(VhostUserPort.builder().name("nvdkb0b").build())
                .flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS).pairs(List.of(new FlowSpec.PortPair("nvdkb0a", "nvdkb0b"))).build())
                .build();
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("bench").withGeneration(1L).build());
        PlannedDpdkBridge planned = PlannedDpdkBridge.builder().name("bench").socketDir(dir.toString()).spec(spec).build();
        state.setSpec(NetworkNodeStateSpec.builder().nodeName("bench").owner(OwnerRef.builder().kind("DpdkBridge")
                .name("bench").token("dkbch").build()).dpdkBridge(planned).build());
        OvsDpdkBridges bridges = new OvsDpdkBridges();
        try {
            // as the agent does: sync again until the bridge is up (a busy ovs-vswitchd can time a call out)
            var status = bridges.sync(state);
            for (int i = 0; i < 5 && !Boolean.TRUE.equals(status.get(0).getBridgeUp()); i++) {
                status = bridges.sync(state);
            }
            if (!Boolean.TRUE.equals(status.get(0).getBridgeUp())) {
                throw new IllegalStateException("bridge not up: " + status.get(0).getMessage());
            }
            return testpmd(List.of(VhostSockets.attachment(planned, "nvdkb0a"), VhostSockets.attachment(planned, "nvdkb0b")), "crd");
        } finally {
            bridges.teardown(state);
        }
    }

    static double[] handBuiltRun() throws Exception {
        Path a = WORK.resolve("hand-a.sock");
        Path b = WORK.resolve("hand-b.sock");
        sh("ovs-vsctl", "--timeout=10", "--", "add-br", "nvdkb1", "--", "set", "Bridge", "nvdkb1", "datapath_type=netdev",
                "--", "add-port", "nvdkb1", "nvdkb1a", "--", "set", "Interface", "nvdkb1a", "type=dpdkvhostuserclient",
                "options:vhost-server-path=" + a,
                "--", "add-port", "nvdkb1", "nvdkb1b", "--", "set", "Interface", "nvdkb1b", "type=dpdkvhostuserclient",
                "options:vhost-server-path=" + b);
        sh("ovs-ofctl", "del-flows", "nvdkb1");
        sh("ovs-ofctl", "add-flow", "nvdkb1", "in_port=nvdkb1a,actions=output:nvdkb1b");
        sh("ovs-ofctl", "add-flow", "nvdkb1", "in_port=nvdkb1b,actions=output:nvdkb1a");
        try {
            return testpmd(List.of(new VhostSockets.Attachment("a", a, true), new VhostSockets.Attachment("b", b, true)), "hand");
        } finally {
            sh("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", "nvdkb1");
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        }
    }

    static double[] testpmd(List<VhostSockets.Attachment> ports, String tag) {
        var report = TestpmdRunner.run(TestpmdRunner.Request.of(ports, "flowgen", 64, Duration.ofSeconds(SECONDS), "nvdkb-" + tag));
        if (report.failed()) {
            throw new IllegalStateException(tag + ": " + report.message());
        }
        List<PairResult> p = report.pairs();
        return new double[]{p.get(0).getRxMpps(), p.get(1).getRxMpps()};
    }

    /**
     * The path without OVS: a testpmd with a vhost port (server) and a second testpmd with a virtio_user port on its
     * socket, each forwarding on its own core (one process cannot hold both ends: its virtio_user would connect
     * before its vhost port listens).
     */
    static double[] noOvsRun() throws Exception {
        Path sock = WORK.resolve("direct.sock");
        Files.deleteIfExists(sock);
        List<String> common = List.of("--no-pci", "--in-memory", "--single-file-segments", "--log-level", "lib.eal:error");
        List<String> fwd = List.of("--", "--forward-mode=flowgen", "--txpkts=64", "--nb-cores=1", "--total-num-mbufs=16384",
                "--stats-period=1");
        List<String> vhost = new ArrayList<>(List.of("timeout", "-s", "INT", String.valueOf(SECONDS + 7), "dpdk-testpmd",
                "-l", "0,1", "--main-lcore", "0", "--file-prefix", "nvdkb-dv"));
        vhost.addAll(common);
        vhost.add("--vdev=net_vhost0,iface=" + sock + ",queues=1");
        vhost.addAll(fwd);
        List<String> virtio = new ArrayList<>(List.of("timeout", "-s", "INT", String.valueOf(SECONDS + 3), "dpdk-testpmd",
                "-l", "0,1", "--main-lcore", "1", "--file-prefix", "nvdkb-du"));
        virtio.addAll(common);
        virtio.add("--vdev=virtio_user0,path=" + sock + ",queues=1");
        virtio.addAll(fwd);
        var vhostRun = java.util.concurrent.CompletableFuture.supplyAsync(() -> CommandRunner.run(vhost, Duration.ofSeconds(SECONDS + 40)));
        for (int i = 0; i < 50 && !Files.exists(sock); i++) {
            Thread.sleep(100);
        }
        var v = CommandRunner.run(virtio, Duration.ofSeconds(SECONDS + 40));
        var h = vhostRun.get();
        TestpmdOutput vo = TestpmdOutput.parse(v.stdout());
        TestpmdOutput ho = TestpmdOutput.parse(h.stdout());
        if (vo.ports().isEmpty() || ho.ports().isEmpty()) {
            throw new IllegalStateException("direct testpmd failed: " + v.describe() + " / " + h.describe());
        }
        Files.deleteIfExists(sock);
        // virtio_user -> vhost, and back
        return new double[]{ho.ports().get(0).rxMpps(), vo.ports().get(0).rxMpps()};
    }

    // ---------------------------------------------------------------- CNI
    /**
     * The executable as a runtime runs it, against an agent's CNI socket served in this JVM exactly as AgentMain
     * serves it (the agent is a daemon, so it is warmed up first, as a node's agent is after its first pods); the
     * time the agent spends per invocation is recorded apart, to show where the rest goes.
     */
    static void cni(Path executable) throws Exception {
        sh("ip", "netns", "add", "nvdkb-ns");
        sh("ovs-vsctl", "--timeout=10", "--", "add-br", "nvdkbc0", "--", "set", "Bridge", "nvdkbc0", "datapath_type=netdev");
        String ref = "{\"cniVersion\":\"1.0.0\",\"name\":\"nvdkb-ref\",\"type\":\"bridge\",\"bridge\":\"nvdkbbr0\","
                + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.252.0.0/24\",\"dataDir\":\"" + WORK.resolve("ipam-ref") + "\"}}";
        String ours = "{\"cniVersion\":\"1.1.0\",\"name\":\"nvdkb-net\",\"type\":\"nfvlab-cni\",\"sharedDir\":\"" + WORK.resolve("shared")
                + "\",\"stateDir\":\"" + WORK.resolve("state") + "\",\"host\":{\"engine\":\"ovs-dpdk\",\"iftype\":\"vhostuser\","
                + "\"netType\":\"bridge\",\"vhost\":{\"mode\":\"client\"},\"bridge\":{\"bridgeName\":\"nvdkbc0\"}},"
                + "\"container\":{\"engine\":\"dpdk\",\"iftype\":\"vhostuser\",\"netType\":\"interface\",\"vhost\":{\"mode\":\"server\"}},"
                + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.253.0.0/24\",\"dataDir\":\"" + WORK.resolve("ipam") + "\"}}";
        Map<String, List<Double>> agentMs = new ConcurrentHashMap<>();
        // the agent's roots (--cni-shared-root, --cni-state-root, --cni-ipam-root): the configuration's directories are below them
        CniRoots roots = CniRoots.under(WORK);
        CniPlugin plugin = new CniPlugin(AttachmentPublisher.NONE, ContainerLocks.striped(64), roots);
        Path socket = WORK.resolve("agent").resolve("cni.sock");
        Map<String, String> toAgent = Map.of("NFVLAB_CNI_SOCKET", socket.toString(), "NFVLAB_CNI_FALLBACK", "");
        Map<String, String> noAgent = Map.of("NFVLAB_CNI_SOCKET", WORK.resolve("no-agent.sock").toString(),
                CniRoots.SHARED_ROOT_ENV, roots.shared().toString(), CniRoots.STATE_ROOT_ENV, roots.state().toString(),
                CniRoots.IPAM_ROOT_ENV, roots.ipam().toString());
        double[][] refLat;
        double[][] ourLat;
        double[] clientFloor;
        double[] refFloor;
        try (CniSocketServer agent = CniSocketServer.start(socket, (env, stdin) -> {
            long start = System.nanoTime();
            CniPlugin.Outcome outcome = plugin.execute(env, stdin);
            agentMs.computeIfAbsent(env.get("CNI_COMMAND"), c -> Collections.synchronizedList(new ArrayList<>()))
                    .add((System.nanoTime() - start) / 1e6);
            return outcome;
        })) {
            cycles(List.of(executable.toString()), toAgent, ours, 20, "nvdkwarm");
            agentMs.clear();
            refLat = cycles(List.of("/usr/lib/cni/bridge"), Map.of(), ref, CNI_SAMPLES, "nvdkbench");
            ourLat = cycles(List.of(executable.toString()), toAgent, ours, CNI_SAMPLES, "nvdkbench");
            clientFloor = startup(List.of(executable.toString()), toAgent);
            refFloor = startup(List.of("/usr/lib/cni/bridge"), Map.of());
        }
        // the first call of the JVM plugin records its CDS archive: not a sample
        call(List.of(executable.toString()), noAgent, "VERSION", "warm", "{}");
        double[][] jvmLat = cycles(List.of(executable.toString()), noAgent, ours, Math.max(10, CNI_SAMPLES / 3), "nvdkjvm");
        double[] inAgentAdd = p50p99(agentMs.getOrDefault("ADD", List.of(0.0)));
        double[] inAgentDel = p50p99(agentMs.getOrDefault("DEL", List.of(0.0)));
        System.out.println();
        System.out.printf("CNI latency, %d ADD/DEL cycles each, ms (p50 / p99), host-local IPAM, real processes%n", CNI_SAMPLES);
        System.out.printf("  (load average while measuring: %s)%n", loadAverage());
        System.out.printf("  %-50s ADD %6.1f / %6.1f   DEL %6.1f / %6.1f%n", "reference bridge plugin (containernetworking 1.1.1)",
                refLat[0][0], refLat[0][1], refLat[1][0], refLat[1][1]);
        System.out.printf("  %-50s ADD %6.1f / %6.1f   DEL %6.1f / %6.1f%n", "nfvlab-cni (C client -> agent socket)",
                ourLat[0][0], ourLat[0][1], ourLat[1][0], ourLat[1][1]);
        System.out.printf("  %-50s ADD %6.1f / %6.1f   DEL %6.1f / %6.1f%n", "  of which inside the agent",
                inAgentAdd[0], inAgentAdd[1], inAgentDel[0], inAgentDel[1]);
        System.out.printf("  %-50s ADD %6.1f / %6.1f   DEL %6.1f / %6.1f   (%d cycles)%n", "nfvlab-cni without an agent (JVM fallback)",
                jvmLat[0][0], jvmLat[0][1], jvmLat[1][0], jvmLat[1][1], Math.max(10, CNI_SAMPLES / 3));
        System.out.printf("  ratio nfvlab/reference, p50: ADD %.2fx (target <= 2x), DEL %.2fx%n",
                ourLat[0][0] / refLat[0][0], ourLat[1][0] / refLat[1][0]);
        System.out.printf("  floor (CNI VERSION, p50): C client + agent round trip %.1f ms, reference plugin %.1f ms%n",
                clientFloor[0], refFloor[0]);
    }

    static double[][] cycles(List<String> plugin, Map<String, String> extraEnv, String conf, int samples, String prefix) throws Exception {
        List<Double> add = new ArrayList<>();
        List<Double> del = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < samples; i++) {
            String cid = prefix + i;
            try {
                add.add(call(plugin, extraEnv, "ADD", cid, conf));
            } catch (IllegalStateException e) {
                failed++;
                System.out.println("  " + e.getMessage().strip());
            }
            try {
                del.add(call(plugin, extraEnv, "DEL", cid, conf));
            } catch (IllegalStateException e) {
                failed++;
                System.out.println("  " + e.getMessage().strip());
            }
        }
        if (failed > 0) {
            System.out.printf("  %s: %d failed calls (not in the figures)%n", plugin.get(0), failed);
        }
        return new double[][]{p50p99(add), p50p99(del)};
    }

    static double[] startup(List<String> argv, Map<String, String> extraEnv) throws Exception {
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            t.add(call(argv, extraEnv, "VERSION", "x", "{\"cniVersion\":\"1.0.0\"}"));
        }
        return p50p99(t);
    }

    static double call(List<String> argv, Map<String, String> extraEnv, String command, String cid, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", System.getenv("PATH"));
        env.put("NFVLAB_CNI_JAR", System.getProperty("cni.jar"));
        env.putAll(extraEnv);
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", cid);
        env.put("CNI_NETNS", "/var/run/netns/nvdkb-ns");
        env.put("CNI_IFNAME", "net1");
        env.put("CNI_PATH", "/usr/lib/cni");
        long start = System.nanoTime();
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        double ms = (System.nanoTime() - start) / 1e6;
        if (rc != 0) {
            throw new IllegalStateException(argv.get(0) + " " + command + " failed: " + out + new String(p.getErrorStream().readAllBytes()));
        }
        return ms;
    }

    static double[] p50p99(List<Double> samples) {
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        return new double[]{s.get((int) Math.floor(0.5 * (s.size() - 1))), s.get((int) Math.ceil(0.99 * (s.size() - 1)))};
    }

    static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    static void sh(String... argv) {
        CommandRunner.run(List.of(argv), Duration.ofSeconds(30));
    }
}
