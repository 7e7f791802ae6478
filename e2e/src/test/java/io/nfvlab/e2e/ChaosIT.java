package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.AgentMain;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.e2e.ChaosReport.Fault;
import io.nfvlab.operator.OperatorMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults survived: the in-process API server in this JVM, the operator and one agent as their own JVMs (so a kill is
 * a real {@code kill -9}), and faults at random moments: the agent killed during a build, a shaping change, a running
 * traffic job, a teardown, an OVS-DPDK transaction (a DpdkBridge's vhost-user ports through OVSDB) and a CNI ADD (the C
 * thin client talking to the agent's socket); the operator killed mid-reconcile; the API server stopped and restarted
 * mid-build. After each fault the killed process is started again and the round checks that the system converges to
 * what is declared (a Ready topology or bridge, or nothing after a delete), that nothing is left (namespaces, marked
 * devices, OVS bridges and ports, socket directories, CNI state and IPAM reservations, the killed agent's child
 * processes), that a traffic test hit by a kill either ran to its end (every pair sent every echo) or failed — never
 * Succeeded on a job cut short — and that a CNI attachment is neither lost nor doubled.
 *
 * <p>Each fault is its own round (a dynamic test, bounded by its own waits); the report of faults injected vs
 * recovered per kind is printed at the end. In the suite one fault of each kind runs; {@code bench/chaos/run.sh} runs
 * the counts ({@code -Dnfvlab.chaos.agentKills=20 -Dnfvlab.chaos.operatorKills=20 -Dnfvlab.chaos.apiRestarts=N}).
 * {@code -Dnfvlab.chaos.seed=N} replays a run's order and moments. Root only: the agent builds in the real kernel and
 * in this machine's OVS-DPDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final List<Fault> AGENT_PHASES = List.of(Fault.AGENT_KILL_DURING_BUILD, Fault.AGENT_KILL_DURING_SHAPING,
            Fault.AGENT_KILL_DURING_TRAFFIC, Fault.AGENT_KILL_DURING_TEARDOWN, Fault.AGENT_KILL_DURING_DPDK_TRANSACTION,
            Fault.AGENT_KILL_DURING_CNI_ADD);
    private static final int PING_COUNT = 10;
    private static final int DPDK_PORTS = 6;
    private static final String CNI_NETWORK = "chaos-net";
    private static final String CNI_IFNAME = "net1";

    @TempDir
    static Path dir;

    private final Await await = Await.every(Duration.ofMillis(200));
    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    private final String namespace = "chaos-" + id;
    private final String node = "chaos-" + id;
    /** The OVS-DPDK bridge the CNI rounds attach to, made by this test (the runtime's network, not a topology's). */
    private final String cniBridge = "nvx" + id;
    private final String cniNetns = "nvx" + id;
    private final Map<String, Set<String>> tokensByOwner = new HashMap<>();
    private final List<ProcessHandle> orphans = new ArrayList<>();
    private final ChaosReport report = new ChaosReport();
    private final List<Fault> faults = new ArrayList<>();
    private EmbeddedApiServer server;
    private KubernetesClient client;
    private ChildJvm agent;
    private ChildJvm operator;
    private Random random;
    private CniThinClient cni;
    private Path cniShared;
    private Path cniState;
    private Path ipamDir;
    private boolean dpdk;

    @BeforeAll
    void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the agent builds in the real kernel, which needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ping")) || Files.isExecutable(Path.of("/bin/ping")),
                "skipped: ping is not installed (scripts/setup-host.sh installs it)");
        long seed = Long.getLong("nfvlab.chaos.seed", System.nanoTime());
        random = new Random(seed);
        var dpdkUp = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "get", "Open_vSwitch", ".", "dpdk_initialized"),
                Duration.ofSeconds(10));
        dpdk = dpdkUp.ok() && dpdkUp.stdout().strip().equals("true") && CniThinClient.available()
                && Files.isExecutable(Path.of("/usr/lib/cni/host-local"));
        int agentKills = Integer.getInteger("nfvlab.chaos.agentKills", AGENT_PHASES.size());
        List<Fault> phases = dpdk ? AGENT_PHASES : AGENT_PHASES.subList(0, 4);
        for (int i = 0; i < agentKills; i++) {
            faults.add(phases.get(i % phases.size()));
        }
        for (int i = 0; i < Integer.getInteger("nfvlab.chaos.operatorKills", 1); i++) {
            faults.add(Fault.OPERATOR_KILL_MID_RECONCILE);
        }
        for (int i = 0; i < Integer.getInteger("nfvlab.chaos.apiRestarts", 1); i++) {
            faults.add(Fault.API_SERVER_RESTART);
        }
        Collections.shuffle(faults, random);
        System.out.println("nfvlab chaos: seed " + seed + ", node " + node + ", " + faults.size() + " faults"
                + (dpdk ? "" : " (no OVS-DPDK, C client or host-local here: no DPDK-transaction and CNI-ADD faults)"));

        server = EmbeddedApiServer.start();
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.createFile(kubeconfig, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(kubeconfig, server.kubeconfig("default"));
        client = server.newClient();
        Path cniSocket = dir.resolve("cni").resolve("cni.sock");
        cniShared = dir.resolve("cni-shared");
        cniState = dir.resolve("cni-state");
        ipamDir = dir.resolve("ipam");
        List<String> agentArgs = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString(), "--embedded", "--node", node,
                "--metrics-port", "0",
                // the in-process server knows only this run's owners: every other run's marked objects would look orphaned
                "--no-sweep"));
        if (dpdk) {
            agentArgs.addAll(List.of("--cni-socket", cniSocket.toString(), "--cni-shared-root", cniShared.toString(),
                    "--cni-state-root", cniState.toString(), "--cni-ipam-root", ipamDir.toString()));
            ovs("--", "add-br", cniBridge, "--", "set", "Bridge", cniBridge, "datapath_type=netdev");
            CommandRunner.run(List.of("ip", "netns", "add", cniNetns), Duration.ofSeconds(10)).orThrow();
            cni = new CniThinClient(cniSocket, cniConfig());
        } else {
            agentArgs.addAll(List.of("--no-dpdk", "--cni-socket", ""));
        }
        operator = new ChildJvm("operator", OperatorMain.class.getName(),
                List.of("--kubeconfig", kubeconfig.toString(), "--embedded", "--metrics-port", "0"), dir);
        agent = new ChildJvm("agent", AgentMain.class.getName(), agentArgs, dir);
        operator.start();
        agent.start();
    }

    @AfterAll
    void stop() {
        try {
            if (agent != null) {
                agent.close();
            }
            if (operator != null) {
                operator.close();
            }
            if (client != null) {
                client.close();
            }
            if (dpdk) {
                CommandRunner.run(List.of("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", cniBridge), Duration.ofSeconds(20));
                CommandRunner.run(List.of("ip", "netns", "del", cniNetns), Duration.ofSeconds(10));
            }
        } finally {
            report.print(System.out);
            if (server != null) {
                server.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFaultIsSurvivedWithNothingLeakedAndNoResultInvented() {
        return IntStream.range(0, faults.size()).mapToObj(round -> DynamicTest.dynamicTest("round " + round + " " + faults.get(round),
                () -> round(round, faults.get(round))));
    }

    private void round(int round, Fault fault) throws Exception {
        try {
            run(round, fault);
            report.recovered(fault);
        } catch (Exception | AssertionError e) {
            report.failed(fault, round, e.getMessage() + "\n--- agent ---\n" + agent.tail(15) + "\n--- operator ---\n" + operator.tail(15));
            restartIfDead();
            try {
                cleanUpAfterFailure(round);
            } catch (Exception | AssertionError again) {
                report.note("round " + round + " still not clean after its failure: " + again.getMessage());
            }
            throw e;
        }
    }

    private void run(int round, Fault fault) throws Exception {
        String name = "t" + round;
        switch (fault) {
            case AGENT_KILL_DURING_BUILD -> {
                create(name, "1ms");
                killAgentAfter(fault, 0, 1500);
                awaitReady(name);
                deleteAndAwaitClean(name);
            }
            case AGENT_KILL_DURING_SHAPING -> {
                create(name, "1ms");
                awaitReady(name);
                VirtualTopology vt = topology(name);
                vt.getSpec().getLinkDefaults().setDelay("3ms");
                vt.getSpec().getLinkDefaults().setBandwidthMbps(50.0);
                long generation = client.resource(vt).update().getMetadata().getGeneration();
                killAgentAfter(fault, 0, 800);
                awaitReady(name, generation);
                deleteAndAwaitClean(name);
            }
            case AGENT_KILL_DURING_TRAFFIC -> {
                create(name, "1ms");
                awaitReady(name);
                createPing(name);
                await.until("traffic test " + name + " running", CONVERGE, () -> {
                    TrafficTest t = test(name);
                    Phase p = t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
                    return p == Phase.RUNNING || p == Phase.SUCCEEDED || p == Phase.FAILED ? null : "phase " + p;
                });
                killAgentAfter(fault, 0, 2000);
                checkTrafficHonest(name);
                deleteAndAwaitClean(name);
            }
            case AGENT_KILL_DURING_TEARDOWN -> {
                create(name, "1ms");
                awaitReady(name);
                client.resource(topology(name)).delete();
                killAgentAfter(fault, 0, 600);
                awaitClean(name);
            }
            case AGENT_KILL_DURING_DPDK_TRANSACTION -> dpdkBridgeRound(round, fault);
            case AGENT_KILL_DURING_CNI_ADD -> cniAddRound(round, fault);
            case OPERATOR_KILL_MID_RECONCILE -> {
                create(name, "1ms");
                report.injected(fault);
                Thread.sleep(random.nextInt(1000));
                operator.kill9();
                operator.start();
                awaitReady(name);
                deleteAndAwaitClean(name);
            }
            case API_SERVER_RESTART -> {
                create(name, "1ms");
                report.injected(fault);
                Thread.sleep(random.nextInt(1000));
                server.stop();
                Thread.sleep(1000 + random.nextInt(1000));
                server.restart();
                awaitReady(name);
                deleteAndAwaitClean(name);
            }
        }
    }

    /**
     * A DpdkBridge of several vhost-user ports, the agent killed while it writes them to OVS (one OVSDB transaction):
     * after the restart the bridge has each port once, and after the delete nothing of it is left in OVS or on disk.
     */
    private void dpdkBridgeRound(int round, Fault fault) throws InterruptedException {
        String name = "d" + round;
        String bridge = dpdkBridgeName(round);
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < DPDK_PORTS; i++) {
            ports.append("    - {name: ").append(bridge).append('p').append(i).append("}\n");
        }
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: nfvlab.io/v1alpha1
                kind: DpdkBridge
                metadata: {name: %s}
                spec:
                  bridgeName: %s
                  ports:
                %s""".formatted(name, bridge, ports), DpdkBridge.class)).create();
        report.injected(fault);
        Thread.sleep(random.nextInt(1500));
        orphans.addAll(agent.kill9());
        // where the kill landed: before the ports reached OVS, after, or in between (a torn transaction)
        int portsAtKill = bridgeInterfaces(bridge).size();
        report.tally(portsAtKill == 0 ? "DPDK kill before the bridge's transaction"
                : portsAtKill == DPDK_PORTS ? "DPDK kill after the bridge's transaction" : "DPDK kill with " + portsAtKill + " ports in OVS");
        agent.start();
        await.until("DpdkBridge " + name + " Ready with " + DPDK_PORTS + " ports", CONVERGE, () -> {
            DpdkBridge b = client.resources(DpdkBridge.class).withName(name).get();
            if (b == null || b.getStatus() == null) {
                return "no status";
            }
            return Conditions.isTrue(b.getStatus().getConditions(), Conditions.READY)
                    && Integer.valueOf(DPDK_PORTS).equals(b.getStatus().getPortsReady()) ? null
                    : "ports ready " + b.getStatus().getPortsReady() + ", conditions " + b.getStatus().getConditions();
        });
        assertThat(bridgeInterfaces(bridge)).as("each port of %s once in OVS", bridge).hasSize(DPDK_PORTS).doesNotHaveDuplicates();
        client.resources(DpdkBridge.class).withName(name).delete();
        awaitBridgeGone(name, bridge);
    }

    private String dpdkBridgeName(int round) {
        return "nvy" + id.substring(0, 4) + round;
    }

    private void awaitBridgeGone(String name, String bridge) {
        await.until("DpdkBridge " + name + " and its node states gone", CONVERGE, () -> {
            List<String> left = new ArrayList<>();
            if (client.resources(DpdkBridge.class).withName(name).get() != null) {
                left.add("DpdkBridge " + name);
            }
            left.addAll(names(ownedStates(name)));
            return left.isEmpty() ? null : "still stored: " + left;
        });
        await.until("nothing of " + bridge + " left in OVS or on disk", Duration.ofSeconds(15), () -> {
            List<String> left = new ArrayList<>();
            if (CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "br-exists", bridge), Duration.ofSeconds(10)).exitCode() != 2) {
                left.add("OVS bridge " + bridge);
            }
            bridgeInterfaces(bridge).forEach(i -> left.add("OVS interface " + i));
            if (Files.exists(Path.of("/var/run/nfvlab/dpdk", bridge))) {
                left.add("socket directory /var/run/nfvlab/dpdk/" + bridge);
            }
            orphans.stream().filter(ProcessHandle::isAlive).forEach(p -> left.add("process " + p.pid() + " " + p.info().commandLine().orElse("?")));
            return left.isEmpty() ? null : String.join(", ", left);
        });
    }

    private static List<String> bridgeInterfaces(String bridge) {
        var r = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name", "find", "Interface",
                "external_ids:nfvlab-bridge=" + bridge), Duration.ofSeconds(10));
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * A runtime's CNI ADD through the C client, the agent killed a few milliseconds in. An ADD that was answered must
     * survive the restart (CHECK passes); one cut short (error 11) is followed by what a runtime does, DEL then ADD again.
     * Either way the container ends with exactly one port, one record and one address, and DEL leaves none.
     */
    private void cniAddRound(int round, Fault fault) throws Exception {
        String container = "chaos" + round + "-" + id;
        CniThinClient.Call call = cni.start("ADD", container, netnsPath(), CNI_IFNAME);
        report.injected(fault);
        Thread.sleep(random.nextInt(40));
        orphans.addAll(agent.kill9());
        agent.start();
        CniThinClient.Answer add = call.answer();
        if (add.ok()) {
            report.tally("CNI ADD answered before the kill");
        } else {
            assertThat(add.errorCode()).as("ADD cut short by the kill: %s %s", add.stdout(), add.stderr()).isEqualTo(11);
            report.tally("CNI ADD cut short by the kill (error 11)");
        }
        awaitCniAgent();
        if (!add.ok()) {
            expectOk(cni.run("DEL", container, netnsPath(), CNI_IFNAME), "DEL after the failed ADD");
            assertThat(cniLeft()).as("after DEL of the failed ADD").isEmpty();
            expectOk(cni.run("ADD", container, netnsPath(), CNI_IFNAME), "ADD again");
        }
        expectOk(cni.run("CHECK", container, netnsPath(), CNI_IFNAME), "CHECK after the agent's restart");
        assertThat(cniPorts()).as("OVS ports of the attachment").hasSize(1);
        assertThat(regularFiles(cniState)).as("attachment records").hasSize(1);
        assertThat(ipamReservations()).as("IPAM reservations").hasSize(1);
        expectOk(cni.run("DEL", container, netnsPath(), CNI_IFNAME), "DEL");
        assertThat(cniLeft()).as("after DEL").isEmpty();
    }

    private String netnsPath() {
        return "/var/run/netns/" + cniNetns;
    }

    private static void expectOk(CniThinClient.Answer a, String what) {
        assertThat(a.exitCode()).as("%s: %s %s", what, a.stdout(), a.stderr()).isZero();
    }

    /** The restarted agent answers on its CNI socket (STATUS reaches the agent; VERSION the client answers alone). */
    private void awaitCniAgent() {
        await.until("the agent's CNI socket answering", CONVERGE, () -> {
            try {
                CniThinClient.Answer a = cni.run("STATUS", "none", netnsPath(), CNI_IFNAME);
                return a.ok() ? null : a.stdout();
            } catch (Exception e) {
                return e.toString();
            }
        });
    }

    private List<String> cniLeft() {
        List<String> left = new ArrayList<>();
        cniPorts().forEach(p -> left.add("OVS port " + p));
        regularFiles(cniState).forEach(f -> left.add("record " + f));
        regularFiles(cniShared).forEach(f -> left.add("shared file " + f));
        ipamReservations().forEach(f -> left.add("address " + f));
        return left;
    }

    private List<String> cniPorts() {
        var r = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "list-ports", cniBridge), Duration.ofSeconds(10));
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private List<String> ipamReservations() {
        // host-local keeps one file per reserved address, beside its lock and last-reserved files
        return regularFiles(ipamDir.resolve(CNI_NETWORK)).stream()
                .filter(f -> !f.startsWith("last_reserved_ip") && !f.equals("lock")).toList();
    }

    private static List<String> regularFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !Files.isDirectory(p)).map(p -> root.relativize(p).toString()).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    private String cniConfig() {
        return """
                {"cniVersion":"1.1.0","name":"%s","type":"nfvlab-cni","sharedDir":"%s","stateDir":"%s",
                 "host":{"engine":"ovs-dpdk","iftype":"vhostuser","netType":"bridge","vhost":{"mode":"client"},
                         "bridge":{"bridgeName":"%s"}},
                 "container":{"engine":"dpdk","iftype":"vhostuser","netType":"interface","vhost":{"mode":"server"}},
                 "ipam":{"type":"host-local","subnet":"10.251.9.0/24","dataDir":"%s"}}
                """.formatted(CNI_NETWORK, cniShared, cniState, cniBridge, ipamDir);
    }

    private static void ovs(String... args) {
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--timeout=10"));
        argv.addAll(List.of(args));
        CommandRunner.run(argv, Duration.ofSeconds(20)).orThrow();
    }

    private void killAgentAfter(Fault fault, int minMillis, int maxMillis) throws InterruptedException {
        report.injected(fault);
        Thread.sleep(minMillis + random.nextInt(maxMillis - minMillis));
        orphans.addAll(agent.kill9());
        agent.start();
    }

    private void restartIfDead() {
        if (!agent.alive()) {
            agent.start();
        }
        if (!operator.alive()) {
            operator.start();
        }
    }

    /** What a failed round may have left, removed so that later rounds are judged on their own. */
    private void cleanUpAfterFailure(int round) throws Exception {
        if (faults.get(round) == Fault.AGENT_KILL_DURING_DPDK_TRANSACTION) {
            client.resources(DpdkBridge.class).withName("d" + round).delete();
            awaitBridgeGone("d" + round, dpdkBridgeName(round));
        } else if (faults.get(round) == Fault.AGENT_KILL_DURING_CNI_ADD) {
            cni.run("DEL", "chaos" + round + "-" + id, netnsPath(), CNI_IFNAME);
            assertThat(cniLeft()).isEmpty();
        } else {
            deleteAndAwaitClean("t" + round);
        }
    }

    private void create(String name, String delay) {
        VirtualTopology vt = client.getKubernetesSerialization().unmarshal("""
                apiVersion: nfvlab.io/v1alpha1
                kind: VirtualTopology
                metadata: {name: %s, namespace: %s}
                spec:
                  topology: {type: linear, k: 2}
                  autoMac: true
                  linkDefaults: {bandwidthMbps: 100, delay: %s}
                """.formatted(name, namespace, delay), VirtualTopology.class);
        client.resource(vt).create();
    }

    private void createPing(String name) {
        TrafficTest t = client.getKubernetesSerialization().unmarshal("""
                apiVersion: nfvlab.io/v1alpha1
                kind: TrafficTest
                metadata: {name: %s, namespace: %s}
                spec:
                  topologyRef: {name: %s}
                  type: pingpair
                  count: %d
                  intervalSec: 0.2
                """.formatted(name, namespace, name, PING_COUNT), TrafficTest.class);
        client.resource(t).create();
    }

    private VirtualTopology topology(String name) {
        return client.resources(VirtualTopology.class).inNamespace(namespace).withName(name).get();
    }

    private TrafficTest test(String name) {
        return client.resources(TrafficTest.class).inNamespace(namespace).withName(name).get();
    }

    private void awaitReady(String name) {
        awaitReady(name, 0);
    }

    private void awaitReady(String name, long generation) {
        await.until("topology " + name + " Ready", CONVERGE, () -> {
            rememberTokens();
            VirtualTopology vt = topology(name);
            if (vt == null || vt.getStatus() == null) {
                return "no status";
            }
            Long observed = vt.getStatus().getObservedGeneration();
            if (generation > 0 && (observed == null || observed < generation)) {
                return "observed generation " + observed + " < " + generation;
            }
            return Conditions.isTrue(vt.getStatus().getConditions(), Conditions.READY) ? null
                    : "not Ready: hosts " + vt.getStatus().getHosts() + ", links " + vt.getStatus().getLinks();
        });
    }

    /**
     * A test hit by a kill ends Succeeded only with the results of a job that ran to its end — every pair sent every
     * echo it was asked for — or Failed with its reason (a note: honest, but the retry did not save it).
     */
    private void checkTrafficHonest(String name) {
        await.until("traffic test " + name + " done", CONVERGE, () -> {
            TrafficTest t = test(name);
            Phase p = t == null || t.getStatus() == null ? null : t.getStatus().getPhase();
            return p == Phase.SUCCEEDED || p == Phase.FAILED ? null : "phase " + p;
        });
        TrafficTest t = test(name);
        if (t.getStatus().getPhase() == Phase.SUCCEEDED) {
            List<PairResult> results = t.getStatus().getResults();
            assertThat(results).as("results of Succeeded %s", name).hasSize(2);
            assertThat(results).as("every pair of Succeeded %s sent all %d echoes and got answers", name, PING_COUNT)
                    .allSatisfy(r -> {
                        assertThat(r.getSent()).isNotNull().isEqualTo((long) PING_COUNT);
                        assertThat(r.getReceived()).isNotNull().isPositive();
                    });
            report.tally("ping job hit by a kill: Succeeded with full results");
        } else {
            assertThat(t.getStatus().getMessage()).as("why %s Failed", name).isNotBlank();
            report.tally("ping job hit by a kill: Failed with its reason");
            report.note("traffic test " + name + " Failed after the kill: " + t.getStatus().getMessage());
        }
    }

    private void deleteAndAwaitClean(String name) {
        TrafficTest t = test(name);
        if (t != null) {
            client.resource(t).delete();
        }
        VirtualTopology vt = topology(name);
        if (vt != null) {
            client.resource(vt).delete();
        }
        awaitClean(name);
    }

    private void awaitClean(String name) {
        await.until("topology " + name + " and its node states gone", CONVERGE, () -> {
            List<String> left = new ArrayList<>();
            left.addAll(names(client.resources(VirtualTopology.class).inNamespace(namespace).list().getItems()));
            left.addAll(names(client.resources(TrafficTest.class).inNamespace(namespace).list().getItems()));
            // this round's own: a round that failed leaves its node states, which must not fail every later round too
            left.addAll(names(ownedStates(name)));
            return left.isEmpty() ? null : "still stored: " + left;
        });
        await.until("nothing of " + name + " left in the kernel", Duration.ofSeconds(15), () -> {
            List<String> left = KernelLeftovers.of(node, tokensByOwner.getOrDefault(name, Set.of()), orphans);
            return left.isEmpty() ? null : String.join(", ", left);
        });
    }

    private List<NetworkNodeState> ownedStates(String owner) {
        return client.resources(NetworkNodeState.class).list().getItems().stream()
                .filter(st -> st.getSpec() != null && st.getSpec().getOwner() != null && owner.equals(st.getSpec().getOwner().getName()))
                .toList();
    }

    private void rememberTokens() {
        client.resources(NetworkNodeState.class).list().getItems().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getOwner() != null && s.getSpec().getOwner().getToken() != null)
                .forEach(s -> tokensByOwner.computeIfAbsent(s.getSpec().getOwner().getName(), n -> new TreeSet<>())
                        .add(s.getSpec().getOwner().getToken()));
    }

    private static List<String> names(List<? extends HasMetadata> items) {
        return items.stream().map(i -> i.getKind() + " " + i.getMetadata().getName()).toList();
    }
}
