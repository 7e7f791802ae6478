package io.nfvlab.cli.run;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.apiserver.EmbeddedApiServer;
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
    private NfvlabOperator operator;
    private io.nfvlab.agent.NodeAgent agent;
    private KubernetesClient client;
    private Path kubeconfig;

    private EmbeddedControlPlane(EmbeddedApiServer server, String nodeName) {
        this.server = server;
        this.nodeName = nodeName;
    }

    public static EmbeddedControlPlane start(String nodeName) {
        return start(nodeName, null);
    }

    /** @param cniSocket where the agent serves nfvlab-cni (unless another agent serves it already), or null */
    public static EmbeddedControlPlane start(String nodeName, Path cniSocket) {
        EmbeddedControlPlane plane = new EmbeddedControlPlane(EmbeddedApiServer.start(), nodeName);
        try {
            plane.client = plane.server.newClient();
            plane.operator = NfvlabOperator.start(plane.server.newClient(), OperatorConfig.builder().embedded(true).build());
            plane.agent = AgentLauncher.start(plane.server.newClient(), nodeName, cniSocket);
            return plane;
        } catch (RuntimeException e) {
            plane.close();
            throw e;
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

    /** The API server's address, for kubectl and `nfvlab --kubeconfig` from another terminal. */
    public String url() {
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
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> tokens = new TreeSet<>();
        client.resources(NetworkNodeState.class).list().getItems().stream()
                .map(s -> s.getSpec() == null || s.getSpec().getOwner() == null ? null : s.getSpec().getOwner().getToken())
                .filter(Objects::nonNull).forEach(tokens::add);
        deleteAll(TrafficTest.class);
        deleteAll(VirtualTopology.class);
        awaitGone(deadline, VirtualTopology.class, TrafficTest.class);
        deleteAll(DpdkBridge.class);
        awaitGone(deadline, DpdkBridge.class);
        List<String> states = awaitStatesGone(deadline);
        return new Leftovers(states, namespacesOf(tokens));
    }

    private void deleteAll(Class<? extends HasMetadata> type) {
        try {
            client.resources(type).inAnyNamespace().delete();
        } catch (RuntimeException e) {
            LOG.warn("deleting every {}: {}", type.getSimpleName(), e.toString());
        }
    }

    @SafeVarargs
    private void awaitGone(long deadline, Class<? extends HasMetadata>... types) {
        while (System.nanoTime() < deadline) {
            boolean any = false;
            for (Class<? extends HasMetadata> type : types) {
                any |= !client.resources(type).inAnyNamespace().list().getItems().isEmpty();
            }
            if (!any) {
                return;
            }
            pause();
        }
    }

    private List<String> awaitStatesGone(long deadline) {
        List<NetworkNodeState> left;
        do {
            left = client.resources(NetworkNodeState.class).list().getItems();
            if (left.isEmpty()) {
                return List.of();
            }
            pause();
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

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
