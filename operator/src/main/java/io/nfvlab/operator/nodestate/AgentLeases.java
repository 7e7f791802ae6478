package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nfvlab.api.Nfvlab;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How the operator reads an agent's Lease {@code nfvlab-agent-<node>} in the system namespace: the one rule for
 * "this node's agent is alive", shared by placement (a node gets hosts only while its agent is) and by
 * {@link NodeGoneCheck} (an agent that stopped renewing is not waited for).
 */
public final class AgentLeases {
    private AgentLeases() {
    }

    public static String name(String node) {
        return Nfvlab.AGENT_LEASE_PREFIX + node;
    }

    /** The node a Lease is the agent Lease of, or null for other Leases (the operator's own, for one). */
    public static String nodeOf(Lease lease) {
        String name = lease.getMetadata().getName();
        return name != null && name.startsWith(Nfvlab.AGENT_LEASE_PREFIX) ? name.substring(Nfvlab.AGENT_LEASE_PREFIX.length()) : null;
    }

    /** Last renewal (else acquisition), or null when the Lease records neither. */
    public static Instant renewal(Lease lease) {
        if (lease == null || lease.getSpec() == null) {
            return null;
        }
        java.time.ZonedDateTime ts = lease.getSpec().getRenewTime() != null ? lease.getSpec().getRenewTime()
                : lease.getSpec().getAcquireTime();
        return ts == null ? null : ts.toInstant();
    }

    /** Why the node's agent does not count as alive at {@code now}, or empty when it held its Lease within {@code grace}. */
    public static Optional<String> whyNotLive(String node, Lease lease, Duration grace, Instant now) {
        if (lease == null) {
            return Optional.of("node " + node + " has no agent lease " + name(node));
        }
        if (lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null || lease.getSpec().getHolderIdentity().isEmpty()) {
            return Optional.of("the agent on node " + node + " released its lease");
        }
        Instant renewed = renewal(lease);
        if (renewed == null || Duration.between(renewed, now).compareTo(grace) > 0) {
            return Optional.of("the agent on node " + node + " has not renewed its lease for more than " + grace.toSeconds() + "s");
        }
        return Optional.empty();
    }

    /** When the Lease stops counting as alive unless renewed again; null when it records no renewal. */
    public static Instant expiry(Lease lease, Duration grace) {
        Instant renewed = renewal(lease);
        return renewed == null ? null : renewed.plus(grace);
    }
}
