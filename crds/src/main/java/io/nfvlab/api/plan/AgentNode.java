package io.nfvlab.api.plan;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.nfvlab.api.Nfvlab;

import java.util.Map;

/**
 * A Kubernetes node where an agent runs, as placement and planning see it.
 *
 * @param underlayAddress the address VXLAN tunnels to this node use, or null when the node publishes none
 */
public record AgentNode(String name, Map<String, String> labels, String underlayAddress) {

    /** True when the node carries the agent's ready label. */
    public static boolean hasAgent(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels != null && Nfvlab.AGENT_READY.equals(labels.get(Nfvlab.AGENT_LABEL));
    }

    /** The underlay address: the {@code nfvlab.io/underlay-ip} annotation, else the node's InternalIP. */
    public static AgentNode of(Node node) {
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        String underlay = annotations == null ? null : annotations.get(Nfvlab.UNDERLAY_ANNOTATION);
        if (underlay == null && node.getStatus() != null && node.getStatus().getAddresses() != null) {
            underlay = node.getStatus().getAddresses().stream()
                    .filter(a -> "InternalIP".equals(a.getType()))
                    .map(NodeAddress::getAddress)
                    .filter(a -> !a.contains(":"))
                    .findFirst().orElse(null);
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        return new AgentNode(node.getMetadata().getName(), labels == null ? Map.of() : Map.copyOf(labels), underlay);
    }

    public boolean matches(Map<String, String> selector) {
        return selector == null || selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
