package io.nfvlab.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import lombok.Builder;
import lombok.Getter;

import java.io.PrintWriter;
import java.util.List;

/**
 * What a Mininet-style command works on: an API server (a cluster's or the embedded one), a namespace, the topology
 * the commands address, and where to print. At the {@code nfvlab>} prompt one session serves every command.
 */
@Getter
@Builder(toBuilder = true)
public final class Session implements AutoCloseable {
    public static final String TOPOLOGY_KIND = "VirtualTopology";

    private final KubernetesClient client;
    /** Close the client with the session (one-shot commands); the prompt's client belongs to the control plane. */
    private final boolean ownsClient;
    private final String namespace;
    /** The topology commands address; null: the only one in the namespace. */
    private final String topologyName;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The Kubernetes node this process runs on: exec works only for hosts placed here. */
    private final String localNode;
    /** True at the prompt: commands run one after another on the same stdin. */
    private final boolean prompt;

    /** The addressed topology, fetched fresh. */
    public VirtualTopology topology() {
        if (topologyName != null) {
            VirtualTopology t = client.resources(VirtualTopology.class).inNamespace(namespace).withName(topologyName).get();
            if (t == null) {
                throw CliException.failure("no VirtualTopology " + topologyName + " in namespace " + namespace);
            }
            return t;
        }
        List<VirtualTopology> all = client.resources(VirtualTopology.class).inNamespace(namespace).list().getItems();
        if (all.isEmpty()) {
            throw CliException.failure("no VirtualTopology in namespace " + namespace
                    + " (create one with `nfvlab apply -f FILE`, or give --namespace)");
        }
        if (all.size() > 1) {
            throw CliException.usage("namespace " + namespace + " has " + all.size() + " topologies ("
                    + String.join(", ", all.stream().map(t -> t.getMetadata().getName()).sorted().toList())
                    + "): choose one with --topology");
        }
        return all.get(0);
    }

    /** The node states the operator planned for a topology (one per node it uses). */
    public List<NetworkNodeState> nodeStates(VirtualTopology topology) {
        String name = topology.getMetadata().getName();
        String ns = topology.getMetadata().getNamespace();
        return client.resources(NetworkNodeState.class).list().getItems().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getOwner() != null)
                .filter(s -> TOPOLOGY_KIND.equals(s.getSpec().getOwner().getKind())
                        && name.equals(s.getSpec().getOwner().getName())
                        && ns.equals(s.getSpec().getOwner().getNamespace()))
                .toList();
    }

    public TopologyView view() {
        VirtualTopology t = topology();
        return TopologyView.of(t, nodeStates(t));
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
