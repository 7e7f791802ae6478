package io.nfvlab.agent.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Waits of the agent ITs on a NetworkNodeState they created: synced by the agent, or gone after a delete. */
public final class NodeStateAwaits {
    private NodeStateAwaits() {
    }

    /** Until the agent reports {@code s} Synced with the actions of a sync (not only a condition from its start). */
    public static void synced(KubernetesClient admin, NetworkNodeState s, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> {
            NetworkNodeState now = admin.resource(s).get();
            return now != null && now.getStatus() != null && Conditions.isTrue(now.getStatus().getConditions(), Conditions.SYNCED)
                    && now.getStatus().getLastActions() != null;
        });
    }

    /** Deletes {@code s} and waits until the agent's teardown let it go (its finalizer removed). */
    public static void deleteAndAwaitGone(KubernetesClient admin, NetworkNodeState s) {
        admin.resource(s).delete();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> admin.resource(s).get() == null);
    }
}
