package io.nfvlab.api.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nfvlab.api.Nfvlab;

import java.util.Map;

/**
 * A Kubernetes node where an agent runs, as placement and planning see it.
 *
 * @param underlayAddress the address VXLAN tunnels to this node use, or null when the node publishes none
 */
public record AgentNode(String name, Map<String, String> labels, String underlayAddress) {

    /**
     * The node as its agent describes it: the underlay address from the agent's own Lease (annotation
     * {@code nfvlab.io/underlay-ip}), else the Node's InternalIP; the labels (for placement's node selectors) from the
     * Node, plus the container runtime the agent publishes on its Lease. The agent writes nothing on the Node: an address on the Lease cannot outlive the agent that holds it, and
     * no agent may write another node's Node.
     */
    public static AgentNode of(Node node, Lease lease) {
        Map<String, String> annotations = lease == null ? null : lease.getMetadata().getAnnotations();
        String underlay = annotations == null ? null : annotations.get(Nfvlab.UNDERLAY_ANNOTATION);
        if (underlay == null && node.getStatus() != null && node.getStatus().getAddresses() != null) {
            underlay = node.getStatus().getAddresses().stream()
                    .filter(a -> "InternalIP".equals(a.getType()))
                    .map(NodeAddress::getAddress)
                    .filter(a -> !a.contains(":"))
                    .findFirst().orElse(null);
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? new java.util.HashMap<>()
                : new java.util.HashMap<>(node.getMetadata().getLabels());
        // what the agent can run is its own word, on its Lease; a Node label of that name is not believed
        labels.remove(Nfvlab.CONTAINER_RUNTIME_LABEL);
        String runtime = annotations == null ? null : annotations.get(Nfvlab.CONTAINER_RUNTIME_LABEL);
        if (runtime != null) {
            labels.put(Nfvlab.CONTAINER_RUNTIME_LABEL, runtime);
        }
        return new AgentNode(node.getMetadata().getName(), Map.copyOf(labels), underlay);
    }

    public boolean matches(Map<String, String> selector) {
        return selector == null || selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
