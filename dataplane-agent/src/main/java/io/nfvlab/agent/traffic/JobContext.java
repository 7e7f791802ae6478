package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.NetworkNodeState;

/** What a {@link KindRunner} is given besides its job. */
public interface JobContext {
    /** The node state the job is in (testpmd finds its ports in the node's states). */
    NetworkNodeState state();

    /** Closes {@code resource} (e.g. an iperf3 server) when the job ends or is stopped, whichever comes first. */
    void own(AutoCloseable resource);

    /** A message the job reports while it is still Running. */
    void progress(String message);
}
