package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.AgentMain;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.e2e.ChaosReport.Fault;
import io.nfvlab.operator.OperatorMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults survived: the in-process API server in this JVM, the operator and one agent as their own JVMs (so a kill is
 * a real {@code kill -9}), and faults at random moments: the agent killed during a build, a shaping change, a running
 * traffic job and a teardown; the operator killed mid-reconcile; the API server stopped and restarted mid-build. After
 * each fault the killed process is started again and the run checks that the system converges to what is declared
 * (a Ready topology, or nothing after a delete), that nothing is left in the kernel (namespaces, marked devices, the
 * killed agent's child processes), and that a traffic test hit by a kill either ran (its results have packets) or
 * failed — never Succeeded without having run. It prints faults injected vs recovered.
 *
 * <p>In the suite it injects one fault of each kind (about a minute); {@code bench/chaos/run.sh} runs it with the
 * issue's counts: {@code -Dnfvlab.chaos.agentKills=20 -Dnfvlab.chaos.operatorKills=20 -Dnfvlab.chaos.apiRestarts=1}.
 * {@code -Dnfvlab.chaos.seed=N} replays a run's moments. Root only: the agent builds in the real kernel. Not covered
 * yet: kills during an OVS-DPDK transaction and a CNI ADD.
 */
class ChaosIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final List<Fault> AGENT_PHASES = List.of(Fault.AGENT_KILL_DURING_BUILD, Fault.AGENT_KILL_DURING_SHAPING,
            Fault.AGENT_KILL_DURING_TRAFFIC, Fault.AGENT_KILL_DURING_TEARDOWN);

    @TempDir
    Path dir;

    private final Await await = Await.every(Duration.ofMillis(200));
    private final String namespace = "chaos-" + UUID.randomUUID().toString().substring(0, 6);
    private final String node = "chaos-" + UUID.randomUUID().toString().substring(0, 6);
    private final java.util.Map<String, Set<String>> tokensByOwner = new java.util.HashMap<>();
    private final List<ProcessHandle> orphans = new ArrayList<>();
    private final ChaosReport report = new ChaosReport();
    private EmbeddedApiServer server;
    private KubernetesClient client;
    private ChildJvm agent;
    private ChildJvm operator;
    private Random random;

    @Test
    void everyFaultIsSurvivedWithNothingLeakedAndNoResultInvented() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: the agent builds in the real kernel, which needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ping")) || Files.isExecutable(Path.of("/bin/ping")),
                "skipped: ping is not installed (scripts/setup-host.sh installs it)");
        long seed = Long.getLong("nfvlab.chaos.seed", System.nanoTime());
        random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        int agentKills = Integer.getInteger("nfvlab.chaos.agentKills", AGENT_PHASES.size());
        for (int i = 0; i < agentKills; i++) {
            faults.add(AGENT_PHASES.get(i % AGENT_PHASES.size()));
        }
        for (int i = 0; i < Integer.getInteger("nfvlab.chaos.operatorKills", 1); i++) {
            faults.add(Fault.OPERATOR_KILL_MID_RECONCILE);
        }
        for (int i = 0; i < Integer.getInteger("nfvlab.chaos.apiRestarts", 1); i++) {
            faults.add(Fault.API_SERVER_RESTART);
        }
        java.util.Collections.shuffle(faults, random);
        System.out.println("nfvlab chaos: seed " + seed + ", node " + node + ", " + faults.size() + " faults");

        server = EmbeddedApiServer.start();
        try {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.createFile(kubeconfig, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(kubeconfig, server.kubeconfig("default"));
            client = server.newClient();
            operator = new ChildJvm("operator", OperatorMain.class.getName(),
                    List.of("--kubeconfig", kubeconfig.toString(), "--embedded", "--metrics-port", "0"), dir);
            agent = new ChildJvm("agent", AgentMain.class.getName(), List.of("--kubeconfig", kubeconfig.toString(),
                    "--embedded", "--node", node, "--metrics-port", "0", "--no-dpdk", "--cni-socket", "",
                    // the in-process server knows only this run's owners: every other run's marked objects would look orphaned
                    "--no-sweep"), dir);
            operator.start();
            agent.start();
            for (int round = 0; round < faults.size(); round++) {
                Fault fault = faults.get(round);
                try {
                    run(round, fault);
                } catch (AssertionError | RuntimeException e) {
                    report.failed(fault, round, e.getMessage() + "\n--- agent ---\n" + agent.tail(15) + "\n--- operator ---\n" + operator.tail(15));
                    restartIfDead();
                    try {
                        deleteAndAwaitClean("t" + round);
                    } catch (AssertionError | RuntimeException again) {
                        report.note("round " + round + " still not clean after its failure: " + again.getMessage());
                    }
                }
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
            if (operator != null) {
                operator.close();
            }
            if (client != null) {
                client.close();
            }
            server.close();
            report.print(System.out);
        }
        assertThat(report.failures()).as("faults not recovered").isEmpty();
        assertThat(report.recovered()).isEqualTo(report.injected()).isEqualTo(faults.size());
    }

    private void run(int round, Fault fault) throws InterruptedException {
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
        report.recovered(fault);
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
                  count: 10
                  intervalSec: 0.2
                """.formatted(name, namespace, name), TrafficTest.class);
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
     * A test hit by a kill ends Succeeded only with results of packets really sent and received, or Failed (reported
     * as a note: honest, but the retry did not save it).
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
            assertThat(results).as("results of Succeeded %s", name).isNotEmpty();
            assertThat(results).as("every pair of Succeeded %s sent and received", name)
                    .allSatisfy(r -> {
                        assertThat(r.getSent()).isNotNull().isPositive();
                        assertThat(r.getReceived()).isNotNull().isPositive();
                    });
        } else {
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
            left.addAll(names(client.resources(NetworkNodeState.class).list().getItems().stream()
                    .filter(st -> st.getSpec() != null && st.getSpec().getOwner() != null
                            && name.equals(st.getSpec().getOwner().getName())).toList()));
            return left.isEmpty() ? null : "still stored: " + left;
        });
        await.until("nothing of " + name + " left in the kernel", Duration.ofSeconds(15), () -> {
            List<String> left = KernelLeftovers.of(node, tokensByOwner.getOrDefault(name, Set.of()), orphans);
            return left.isEmpty() ? null : String.join(", ", left);
        });
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
