package io.nfvlab.agent;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Warning events about the agent's Node ({@code kubectl describe node} and {@code kubectl get events} show them): what
 * the agent refused or cannot do on that node, beside the one log line it writes. They are written in the system
 * namespace, beside the agent's Lease, because the agent may write nowhere else (`kubectl describe node` lists the
 * events of a cluster-scoped object from every namespace). Failing to write one is logged, never fatal.
 */
final class NodeEvents {
    /** Another live agent holds the node's Lease: this one does not start. */
    static final String NODE_HELD = "AgentNodeHeld";
    /** The CNI bin directory the chart mounts holds no CNI plugin of the node's runtime. */
    static final String CNI_BIN_DIR = "CniBinDirUnused";

    private static final Logger LOG = LoggerFactory.getLogger(NodeEvents.class);

    private NodeEvents() {
    }

    static void warning(KubernetesClient client, String namespace, String node, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            Node n = client.nodes().withName(node).get();
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(node + "." + UUID.randomUUID().toString().substring(0, 8)).withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject().withApiVersion("v1").withKind("Node").withName(node)
                    .withUid(n == null ? null : n.getMetadata().getUid()).endInvolvedObject()
                    .withType("Warning").withReason(reason)
                    .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("nfvlab-agent").withHost(node).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} on node {}: {}", reason, node, e.getMessage());
        }
    }
}
