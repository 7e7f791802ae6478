package io.nfvlab.cli.run;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.agent.NodeAgent;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.cli.Changes;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Kubernetes in one JVM for {@code nfvlab run}: the embedded API server with the CRDs, the operator, and one agent
 * for this machine, each with its own client as in a cluster. {@link #teardown} deletes every nfvlab resource and
 * waits until the agent has removed what it built; {@link #close} stops the components.
 */
public final class EmbeddedControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedControlPlane.class);

    private final EmbeddedApiServer server;
    private final String nodeName;
    /** What the run can hold: a teardown neither deletes nor watches kinds it cannot hold. */
    private final RunNeeds needs;
    private NfvlabOperator operator;
    private NodeAgent agent;
    private KubernetesClient client;
    /** The operator's and the agent's clients: neither component closes the client it was given. */
    private final List<KubernetesClient> componentClients = new CopyOnWriteArrayList<>();
    private Path kubeconfig;

    private EmbeddedControlPlane(EmbeddedApiServer server, String nodeName, RunNeeds needs) {
        this.server = server;
        this.nodeName = nodeName;
        this.needs = needs;
    }

    public static EmbeddedControlPlane start(String nodeName) {
        return start(nodeName, null, new RunTimings(false), client -> { }, RunNeeds.EVERYTHING, ApiServerStart.begin());
    }

    static EmbeddedControlPlane start(String nodeName, Path cniSocket, RunTimings timings) {
        return start(nodeName, cniSocket, timings, client -> { }, RunNeeds.EVERYTHING, ApiServerStart.begin());
    }

    /**
     * Takes over the API server, then starts the agent and the operator's registration while the CRDs are installed
     * (begun with the server), then the operator's controllers: each spends most of its start loading classes, which two
     * cores do side by side. Every informer opens only once the CRDs exist (the agent's waits for them just before it
     * opens its watches, after its Lease, dataplane and Node; the operator's open in
     * {@link NfvlabOperator#startControllers()}): with them installed alongside, informers opened before their CRD
     * existed missed events and the controllers fell back to their slow rechecks (measured: a 9-host tree Ready in 9 s
     * instead of 0.5 s, pingalls of 5–33 s).
     *
     * @param cniSocket where the agent serves nfvlab-cni (unless another agent serves it already), or null
     * @param onceCrdsInstalled given the CLI's client as soon as the CRDs are installed, on the calling thread, while
     *                          the operator's and agent's starts go on: what it writes is waiting for them when their
     *                          informers open. It must not throw: a failure is the caller's to report once the control
     *                          plane is up, so that its teardown can remove what was started by then
     * @param needs             what the run can need: without container hosts the agent asks no container runtime,
     *                          without DpdkBridges the operator runs no controller for them, and without DpdkBridges or
     *                          LinkProfiles its topologies do not watch them
     * @param apiServer         the API server being made, and its CRDs installed, since the run began: taken over here
     */
    static EmbeddedControlPlane start(String nodeName, Path cniSocket, RunTimings timings,
                                      Consumer<KubernetesClient> onceCrdsInstalled, RunNeeds needs, ApiServerStart apiServer) {
        long t0 = System.nanoTime();
        EmbeddedControlPlane plane = new EmbeddedControlPlane(apiServer.handOver(), nodeName, needs);
        timings.since("API server ready (in-process, made since the run began; no port until a kubeconfig is asked for)", t0);
        CompletableFuture<NodeAgent> agent = null;
        CompletableFuture<NfvlabOperator> operator = null;
        try {
            long t1 = System.nanoTime();
            agent = CompletableFuture.supplyAsync(() -> {
                long a0 = System.nanoTime();
                NodeAgent started = AgentLauncher.start(plane.newComponentClient(), nodeName, cniSocket, apiServer::awaitCrds,
                        needs.containerHosts());
                timings.addConcurrent("agent", System.nanoTime() - a0);
                return started;
            }, STARTER);
            KubernetesClient operatorClient = plane.newComponentClient();
            operator = CompletableFuture.supplyAsync(() -> {
                long r0 = System.nanoTime();
                // no kubelet here: container hosts are the agent's podman containers, never Pods
                NfvlabOperator registered = NfvlabOperator.registered(operatorClient,
                        OperatorConfig.builder().embedded(true).podHosts(false).dpdkBridges(needs.dpdkBridges())
                                .linkProfiles(needs.linkProfiles()).build());
                timings.addConcurrent("operator registered (no request)", System.nanoTime() - r0);
                return registered;
            }, STARTER);
            long c0 = System.nanoTime();
            apiServer.awaitCrds();
            timings.addConcurrent("CRDs installed (waited for; their CEL rules compile in the background)", System.nanoTime() - c0);
            plane.client = plane.server.newClient();
            try {
                long o0 = System.nanoTime();
                plane.operator = join(operator);
                // the operator's controllers start on their own threads: the CLI's first writes go in meanwhile
                CompletableFuture<Void> controllers = CompletableFuture.runAsync(plane.operator::startControllers, STARTER);
                long w0 = System.nanoTime();
                onceCrdsInstalled.accept(plane.client);
                timings.addConcurrent("the run's resources written", System.nanoTime() - w0);
                join(controllers);
                timings.addConcurrent("operator started after the CRDs", System.nanoTime() - o0);
            } finally {
                // joined on every path, so that close() stops an agent that started while the operator failed
                plane.agent = join(agent);
            }
            timings.since("CRDs, operator and agent (in parallel)", t1);
            return plane;
        } catch (RuntimeException e) {
            plane.operator = joinQuietly(operator, plane.operator);
            // the CRDs failed: the agent gives up at its wait for them, or has started and must be stopped
            plane.agent = joinQuietly(agent, plane.agent);
            plane.close();
            throw e;
        }
    }

    /** What {@code started} gave, or {@code known} when it is known already, was never begun or failed. */
    private static <T> T joinQuietly(CompletableFuture<T> started, T known) {
        if (known != null || started == null) {
            return known;
        }
        try {
            return join(started);
        } catch (RuntimeException ignored) {
            // it failed on the same cause as the start, reported by the caller
            return null;
        }
    }

    private KubernetesClient newComponentClient() {
        KubernetesClient c = server.newClient();
        componentClients.add(c);
        return c;
    }

    private static final Executor STARTER = command -> {
        Thread t = new Thread(command, "nfvlab-start");
        t.setDaemon(true);
        t.start();
    };

    /** What {@code started} gave, or the unchecked exception it failed with, as thrown where it began. */
    static <T> T join(CompletableFuture<T> started) {
        try {
            return started.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The CLI's own client of the embedded API server. */
    public KubernetesClient client() {
        return client;
    }

    public String nodeName() {
        return nodeName;
    }

    /** The CNI socket this run's agent serves, or null (none asked for, or another agent serves it). */
    public Path cniSocket() {
        return agent == null ? null : agent.cniSocket();
    }

    /**
     * The API server's address, for `nfvlab --kubeconfig` from another terminal (not kubectl, which sends a bearer
     * token only over TLS; this listener speaks plain HTTP): its HTTP listener opens
     * now (the run's own components reach it in-process).
     */
    public String url() {
        server.serveOnLoopback();
        return server.config().getMasterUrl();
    }

    /**
     * Writes a kubeconfig for the embedded API server, with its bearer token, and returns its path; it is removed by
     * {@link #close}. The file is created readable and writable by its owner only before the token is written into
     * it: the token is the only credential of an API server whose objects a root agent carries out.
     */
    public Path writeKubeconfig(String namespace) throws IOException {
        Path dir = Path.of("/run/nfvlab");
        Files.createDirectories(dir);
        Path file = dir.resolve("kubeconfig-" + ProcessHandle.current().pid());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        kubeconfig = file;
        Files.writeString(file, server.kubeconfig(namespace));
        return file;
    }

    /** What teardown left behind: node states still present and host namespaces still in the kernel. */
    public record Leftovers(List<String> nodeStates, List<String> namespaces) {
        public boolean none() {
            return nodeStates.isEmpty() && namespaces.isEmpty();
        }

        @Override
        public String toString() {
            return (nodeStates.isEmpty() ? "" : "node states " + String.join(", ", nodeStates))
                    + (nodeStates.isEmpty() || namespaces.isEmpty() ? "" : "; ")
                    + (namespaces.isEmpty() ? "" : "network namespaces " + String.join(", ", namespaces));
        }
    }

    /**
     * Deletes traffic tests and topologies, then DPDK bridges, each time waiting until the agent has torn down their
     * node states (it releases its finalizer only once the kernel and OVS are clean).
     */
    public Leftovers teardown(Duration timeout) {
        return teardown(timeout, new RunTimings(false));
    }

    Leftovers teardown(Duration timeout, RunTimings timings) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (agent != null) {
            // everything goes: the jobs stop now, before anything else, rather than when the agent reaches each test's
            // deletion in turn — meanwhile a pingall over hundreds of hosts keeps the CPUs, and so every step here, busy
            agent.stopTrafficJobs("stopped: nfvlab run is tearing everything down");
        }
        Set<String> tokens = new TreeSet<>();
        client.resources(NetworkNodeState.class).list().getItems().stream()
                .map(s -> s.getSpec() == null || s.getSpec().getOwner() == null ? null : s.getSpec().getOwner().getToken())
                .filter(Objects::nonNull).forEach(tokens::add);
        // a run without DPDK bridges has none to delete: neither their list nor their watch is asked for (reading them
        // would build Jackson's deserializers for the whole DpdkBridge model at every run)
        List<Class<? extends HasMetadata>> watched = needs.dpdkBridges()
                ? List.of(TrafficTest.class, VirtualTopology.class, DpdkBridge.class, NetworkNodeState.class)
                : List.of(TrafficTest.class, VirtualTopology.class, NetworkNodeState.class);
        try (Changes changes = Changes.ofAll(client, watched)) {
            long t0 = System.nanoTime();
            deleteAll(TrafficTest.class);
            deleteAll(VirtualTopology.class);
            awaitGone(changes, deadline, VirtualTopology.class, TrafficTest.class);
            timings.since("teardown: topologies and tests gone", t0);
            long t1 = System.nanoTime();
            if (needs.dpdkBridges()) {
                deleteAll(DpdkBridge.class);
                awaitGone(changes, deadline, DpdkBridge.class);
            }
            List<String> states = awaitStatesGone(changes, deadline);
            timings.since("teardown: bridges and node states gone", t1);
            return new Leftovers(states, namespacesOf(tokens));
        }
    }

    private void deleteAll(Class<? extends HasMetadata> type) {
        try {
            client.resources(type).inAnyNamespace().delete();
        } catch (RuntimeException e) {
            LOG.warn("deleting every {}: {}", type.getSimpleName(), e.toString());
        }
    }

    @SafeVarargs
    private void awaitGone(Changes changes, long deadline, Class<? extends HasMetadata>... types) {
        while (System.nanoTime() < deadline) {
            long mark = changes.mark();
            boolean any = false;
            for (Class<? extends HasMetadata> type : types) {
                any |= !client.resources(type).inAnyNamespace().list().getItems().isEmpty();
            }
            if (!any) {
                return;
            }
            changes.await(mark, Duration.ofNanos(deadline - System.nanoTime()));
        }
    }

    private List<String> awaitStatesGone(Changes changes, long deadline) {
        List<NetworkNodeState> left;
        do {
            long mark = changes.mark();
            left = client.resources(NetworkNodeState.class).list().getItems();
            if (left.isEmpty()) {
                return List.of();
            }
            changes.await(mark, Duration.ofNanos(deadline - System.nanoTime()));
        } while (System.nanoTime() < deadline);
        return left.stream().map(s -> s.getMetadata().getName()).toList();
    }

    /** Host namespaces of these owner tokens still present in /run/netns (where `ip netns` keeps them). */
    public static List<String> namespacesOf(Set<String> tokens) {
        if (tokens.isEmpty()) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of("/run/netns"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> tokens.stream().anyMatch(t -> n.startsWith("nfv-" + t + "-")))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        if (kubeconfig != null) {
            try {
                Files.deleteIfExists(kubeconfig);
            } catch (IOException e) {
                LOG.warn("removing {}: {}", kubeconfig, e.toString());
            }
        }
        closeQuietly(agent, "agent");
        closeQuietly(operator, "operator");
        // each client's HTTP selector thread must end before the JVM exits, or its exit waits 0.3 s for it
        componentClients.forEach(c -> closeQuietly(c, "client"));
        closeQuietly(client, "client");
        closeQuietly(server, "API server");
    }

    private static void closeQuietly(AutoCloseable c, String what) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("stopping the {}: {}", what, e.toString());
        }
    }
}
