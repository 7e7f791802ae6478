package io.nfvlab.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.HashMap;
import java.util.Map;

/**
 * The pod annotation Intel's userspace CNI writes and DPDK applications in the pod read (through the downward API):
 * {@code userspace/configuration-data}, a JSON list with one entry per attached interface.
 */
public final class PodAnnotations implements AttachmentPublisher {
    public static final String CONFIGURATION_DATA = "userspace/configuration-data";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    public PodAnnotations(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean publish(String namespace, String pod, String network, String ifName, Map<String, Object> data) {
        return put(namespace, pod, network, ifName, JSON.valueToTree(data));
    }

    @Override
    public void withdraw(String namespace, String pod, String network, String ifName) {
        put(namespace, pod, network, ifName, null);
    }

    /** Adds or replaces the entry of (network, ifName); {@code entry} null removes it. False when the pod is gone. */
    public boolean put(String namespace, String pod, String network, String ifName, JsonNode entry) {
        try {
            Pod current = client.pods().inNamespace(namespace).withName(pod).get();
            if (current == null) {
                return false;
            }
            client.pods().inNamespace(namespace).withName(pod).edit(p -> {
                Map<String, String> annotations = p.getMetadata().getAnnotations() == null ? new HashMap<>()
                        : new HashMap<>(p.getMetadata().getAnnotations());
                ArrayNode list = parse(annotations.get(CONFIGURATION_DATA));
                ArrayNode next = JSON.createArrayNode();
                list.forEach(e -> {
                    if (!(network.equals(e.path("name").asText()) && ifName.equals(e.path("ifName").asText()))) {
                        next.add(e);
                    }
                });
                if (entry != null) {
                    next.add(entry);
                }
                if (next.isEmpty()) {
                    annotations.remove(CONFIGURATION_DATA);
                } else {
                    annotations.put(CONFIGURATION_DATA, next.toString());
                }
                p.getMetadata().setAnnotations(annotations);
                return p;
            });
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static ArrayNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createArrayNode();
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node instanceof ArrayNode a ? a : JSON.createArrayNode();
        } catch (Exception e) {
            // someone else's malformed value: ours replaces it
            return JSON.createArrayNode();
        }
    }
}
