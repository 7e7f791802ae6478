package io.nfvlab.agent.kernel;

import io.nfvlab.api.node.NetworkNodeState;

import java.util.Set;

/** The dataplane of one node as one agent sees it: builds, repairs and tears down NetworkNodeStates. */
public interface NodeDataplane extends AutoCloseable {
    /** Observes, plans and applies the state's spec; returns what it did. Idempotent: a second call does nothing. */
    SyncReport sync(NetworkNodeState state);

    /** Removes everything marked with the state's token for this node. */
    SyncReport teardown(NetworkNodeState state);

    /**
     * Frames this node's delay lines dropped at the agent's byte bounds since it started (only grows): loss of this
     * node, not of an emulated link, which traffic results must tell apart.
     */
    long byteBoundDrops();

    /** Removes everything marked for this node whose token is not in {@code liveTokens}; returns the tokens removed. */
    Set<String> sweepOrphans(Set<String> liveTokens);

    /** The container runtime this dataplane starts container hosts with ("podman"), or null when it has none. */
    default String containerRuntimeName() {
        return null;
    }

    /** What this node's kernel offers for shaping: whether netem or the agent's delay line carries impairments. */
    default io.nfvlab.agent.kernel.shaping.ShapingMechanisms shapingMechanisms() {
        return io.nfvlab.agent.kernel.shaping.ShapingMechanisms.WITHOUT_NETEM;
    }

    @Override
    void close();
}
