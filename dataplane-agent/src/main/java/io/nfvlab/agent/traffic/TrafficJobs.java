package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJobResult;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the traffic jobs of a NetworkNodeState. The agent's reconciler calls {@link #sync} on every reconcile and
 * writes the returned results into the state's status; a job's end ({@link #onJobEnd}) makes it reconcile that state
 * again at once.
 */
public interface TrafficJobs {
    /**
     * Starts, without blocking, every job whose (id, runKey) has no result yet, and returns the current result of
     * every job in the spec (Running, Succeeded or Failed). Jobs no longer in the spec are stopped.
     */
    List<TrafficJobResult> sync(NetworkNodeState state);

    /** The state is being deleted: stop its jobs and servers and forget them. */
    void forget(NetworkNodeState state);

    /**
     * Where to read the frames this node's delay lines dropped at the agent's byte bounds (only grows), so that a job
     * during which some were dropped says that part of its loss is this node's. Unset: nothing is said.
     */
    default void countNodeDropsFrom(java.util.function.LongSupplier byteBoundDrops) {
    }

    /**
     * Calls {@code listener} with the NetworkNodeState's name when one of its jobs has ended and its result can be
     * read through {@link #sync}, so that the result is reported as it is produced, not at the next poll. Called on the
     * job's thread; the listener must not block. Runners that never call it are polled instead.
     */
    default void onJobEnd(Consumer<String> listener) {
    }
}
