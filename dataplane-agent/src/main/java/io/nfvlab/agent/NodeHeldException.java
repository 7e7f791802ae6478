package io.nfvlab.agent;

/**
 * Another agent holds this node's Lease and renewed it within its duration: two agents on one node would fight over
 * the same kernel objects and node states, so the second one does not start.
 */
public final class NodeHeldException extends IllegalStateException {
    NodeHeldException(String message) {
        super(message);
    }
}
