package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.node.NetworkNodeState;

import java.util.HashMap;
import java.util.Map;

/**
 * Writes the operator's part (metadata and spec) of NetworkNodeStates. A real cluster gets server-side apply, so the
 * operator owns exactly the spec fields and the agent the status; the in-process API server has no server-side
 * apply and gets plain create and JSON-patch updates of the spec.
 */
public interface NodeStateWriter {

    /** Creates {@code desired}, or brings {@code existing} (null when there is none) to its labels and spec. */
    NetworkNodeState write(NetworkNodeState desired, NetworkNodeState existing);

    void delete(NetworkNodeState existing);

    static NodeStateWriter forCluster(KubernetesClient client, boolean embedded, String fieldManager) {
        return embedded ? new PlainWriter(client) : new ApplyWriter(client, fieldManager);
    }

    final class ApplyWriter implements NodeStateWriter {
        private final KubernetesClient client;
        private final String fieldManager;

        ApplyWriter(KubernetesClient client, String fieldManager) {
            this.client = client;
            this.fieldManager = fieldManager;
        }

        @Override
        public NetworkNodeState write(NetworkNodeState desired, NetworkNodeState existing) {
            return client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
        }

        @Override
        public void delete(NetworkNodeState existing) {
            client.resource(existing).delete();
        }
    }

    final class PlainWriter implements NodeStateWriter {
        private final KubernetesClient client;

        PlainWriter(KubernetesClient client) {
            this.client = client;
        }

        @Override
        public NetworkNodeState write(NetworkNodeState desired, NetworkNodeState existing) {
            if (existing == null) {
                return client.resource(desired).create();
            }
            // edit() sends a JSON patch of the difference: the agent's status and finalizer stay as they are
            NetworkNodeState base = client.getKubernetesSerialization().clone(existing);
            return client.resource(base).edit(n -> {
                // others' labels stay; ours win
                Map<String, String> labels = new HashMap<>(n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels());
                labels.putAll(desired.getMetadata().getLabels());
                n.getMetadata().setLabels(labels);
                n.setSpec(desired.getSpec());
                return n;
            });
        }

        @Override
        public void delete(NetworkNodeState existing) {
            client.resource(existing).delete();
        }
    }
}
