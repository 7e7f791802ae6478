package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Decides whether a node's agent can still tear down a node state. It cannot when the Node is gone, or when its
 * agent Lease has not been renewed for longer than the grace period (no Lease at all: the grace counts from the
 * state's deletion).
 */
public final class NodeGoneCheck {
    private final KubernetesClient client;
    private final String systemNamespace;
    private final Duration grace;
    private final Clock clock;

    public NodeGoneCheck(KubernetesClient client, String systemNamespace, Duration grace, Clock clock) {
        this.client = client;
        this.systemNamespace = systemNamespace;
        this.grace = grace;
        this.clock = clock;
    }

    /** Why the agent of the state's node cannot be waited for, or empty when it can. */
    public Optional<String> whyGone(NetworkNodeState state) {
        String node = state.getSpec() == null ? null : state.getSpec().getNodeName();
        if (node == null) {
            return Optional.of("the node state names no node");
        }
        if (client.nodes().withName(node).get() == null) {
            return Optional.of("node " + node + " no longer exists");
        }
        Instant now = Instant.now(clock);
        Lease lease = client.leases().inNamespace(systemNamespace).withName(AgentLeases.name(node)).get();
        Instant since = lease == null ? deletionOf(state) : AgentLeases.renewal(lease);
        if (since != null && Duration.between(since, now).compareTo(grace) > 0) {
            return Optional.of(lease == null
                    ? "node " + node + " has no agent lease " + systemNamespace + "/" + Nfvlab.AGENT_LEASE_PREFIX + node + " and its agent did not tear down within " + grace.toSeconds() + "s"
                    : "the agent on node " + node + " has not renewed its lease for more than " + grace.toSeconds() + "s");
        }
        return Optional.empty();
    }

    private static Instant deletionOf(NetworkNodeState state) {
        String ts = state.getMetadata().getDeletionTimestamp();
        return ts == null ? null : parse(ts);
    }

    private static Instant parse(String ts) {
        try {
            return OffsetDateTime.parse(ts).toInstant();
        } catch (RuntimeException e) {
            return Instant.parse(ts);
        }
    }
}
