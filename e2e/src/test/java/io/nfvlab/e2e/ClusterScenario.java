package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.yaml.NfvlabYaml;
import io.nfvlab.cli.main.Main;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The e2e scenario, whatever the cluster: install nfvlab from its chart as {@code nfvlab install --apply} does (Helm as
 * a library), wait for the operator and one registered agent per node, apply an example (a topology and its traffic
 * tests), wait until the topology is Ready and every test Succeeded with results in its status, then
 * {@code nfvlab uninstall} and check that nothing is left: no nfvlab CRD, no system namespace, no agent label on a
 * node, and (where the test sees the kernel) no network namespace of the topology.
 */
final class ClusterScenario {
    static final String SYSTEM_NAMESPACE = Nfvlab.DEFAULT_SYSTEM_NAMESPACE;
    /**
     * The lab's namespace, new for each run: kernel and OVS names derive from (kind, namespace, name), so two runs on one
     * machine (two checkouts' test suites) must not share it.
     */
    private final String labNamespace = "nfvlab-e2e-" + java.util.UUID.randomUUID().toString().substring(0, 6);

    private final KubernetesClient client;
    private final Workloads workloads;
    private final PrintStream log;
    private final Await await = Await.every(Duration.ofSeconds(1));
    private final Duration startTimeout;

    ClusterScenario(KubernetesClient client, Workloads workloads, PrintStream log, Duration startTimeout) {
        this.client = client;
        this.workloads = workloads;
        this.log = log;
        this.startTimeout = startTimeout;
    }

    /** The chart values the scenario installs with: an agent on every node, tainted control planes included. */
    static List<String> installArgs(Path kubeconfig) {
        return List.of("install", "--apply", "--kubeconfig", kubeconfig.toString(), "--system-namespace", SYSTEM_NAMESPACE,
                "--set", "agent.tolerateAll=true");
    }

    static List<String> uninstallArgs(Path kubeconfig) {
        return List.of("uninstall", "--kubeconfig", kubeconfig.toString(), "--system-namespace", SYSTEM_NAMESPACE);
    }

    void run(Path example) {
        Lab lab = Lab.load(example, labNamespace);
        step("install", () -> nfvlab(installArgs(workloads.kubeconfig())));
        Set<String> agentNodes = new TreeSet<>();
        step("operator and agents", () -> agentNodes.addAll(workloads.awaitRunning(await, startTimeout)));
        step("agents registered on " + agentNodes, () -> await.until("an agent on every node", startTimeout,
                () -> ClusterChecks.agentsPending(agentNodes, nodesByName(), agentLeases(agentNodes), Instant.now())));

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(labNamespace).endMetadata().build())
                .createOr(r -> r.update());
        step("apply " + example.getFileName(), () -> lab.all().forEach(r -> client.resource(r).create()));
        step("topology " + lab.topology().getMetadata().getName() + " Ready", () -> await.until("the topology", Duration.ofMinutes(3),
                () -> ClusterChecks.topologyPending(client.resources(VirtualTopology.class).inNamespace(labNamespace)
                        .withName(lab.topology().getMetadata().getName()).get())));
        step("traffic tests Succeeded", () -> await.until("the traffic tests", Duration.ofMinutes(3),
                () -> ClusterChecks.testsPending(lab.tests().stream().map(t -> client.resources(TrafficTest.class)
                        .inNamespace(labNamespace).withName(t.getMetadata().getName()).get()).filter(Objects::nonNull).toList())));
        for (TrafficTest t : client.resources(TrafficTest.class).inNamespace(labNamespace).list().getItems()) {
            log.println("e2e:   " + t.getMetadata().getName() + ": " + t.getStatus().getSummary());
        }

        Set<String> tokens = new TreeSet<>();
        client.resources(NetworkNodeState.class).list().getItems().stream()
                .map(s -> s.getSpec() == null || s.getSpec().getOwner() == null ? null : s.getSpec().getOwner().getToken())
                .filter(Objects::nonNull).forEach(tokens::add);
        step("uninstall", () -> nfvlab(uninstallArgs(workloads.kubeconfig())));
        workloads.stopped();
        client.namespaces().withName(labNamespace).delete();
        step("nothing left", () -> await.until("uninstall to leave nothing", Duration.ofMinutes(3), () -> {
            String left = ClusterChecks.leftovers(
                    client.apiextensions().v1().customResourceDefinitions().list().getItems().stream().map(c -> c.getMetadata().getName()).toList(),
                    client.namespaces().withName(SYSTEM_NAMESPACE).get() != null,
                    client.nodes().list().getItems());
            List<String> kernel = workloads.kernelLeftovers(tokens);
            if (!kernel.isEmpty()) {
                left = (left == null ? "" : left + ", ") + "network namespaces " + kernel;
            }
            return left;
        }));
    }

    /** A topology and its traffic tests from one example file, placed in the lab namespace. */
    record Lab(VirtualTopology topology, List<TrafficTest> tests) {
        static Lab load(Path file, String namespace) {
            List<HasMetadata> all = NfvlabYaml.load(file);
            List<VirtualTopology> topologies = NfvlabYaml.ofKind(all, VirtualTopology.class);
            if (topologies.size() != 1) {
                throw new IllegalArgumentException(file + ": the e2e scenario wants exactly one VirtualTopology, found " + topologies.size());
            }
            List<TrafficTest> tests = NfvlabYaml.ofKind(all, TrafficTest.class);
            if (tests.isEmpty()) {
                throw new IllegalArgumentException(file + ": the e2e scenario wants at least one TrafficTest");
            }
            all.forEach(r -> r.getMetadata().setNamespace(namespace));
            return new Lab(topologies.get(0), tests);
        }

        List<HasMetadata> all() {
            List<HasMetadata> out = new ArrayList<>();
            out.add(topology);
            out.addAll(tests);
            return out;
        }
    }

    private Map<String, Node> nodesByName() {
        Map<String, Node> out = new HashMap<>();
        client.nodes().list().getItems().forEach(n -> out.put(n.getMetadata().getName(), n));
        return out;
    }

    private Map<String, Lease> agentLeases(Set<String> nodes) {
        Map<String, Lease> out = new HashMap<>();
        for (String node : nodes) {
            Lease l = client.leases().inNamespace(SYSTEM_NAMESPACE).withName(Nfvlab.AGENT_LEASE_PREFIX + node).get();
            if (l != null) {
                out.put(node, l);
            }
        }
        return out;
    }

    /** Runs the nfvlab CLI in this JVM, exactly as a user's command line. */
    private static void nfvlab(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) {
            throw new AssertionError("nfvlab " + String.join(" ", args) + " exited " + code + ": " + err.toString().strip()
                    + "\n" + out.toString().strip());
        }
    }

    private void step(String what, Runnable action) {
        long start = System.nanoTime();
        log.println("e2e: " + what + " …");
        action.run();
        log.printf("e2e: %s done in %.1f s%n", what, (System.nanoTime() - start) / 1e9);
    }
}
