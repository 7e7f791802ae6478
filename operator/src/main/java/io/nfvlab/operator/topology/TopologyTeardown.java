package io.nfvlab.operator.topology;

import io.nfvlab.operator.nodestate.NodeGoneCheck;
import io.nfvlab.operator.nodestate.NodeStatePublisher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.operator.controller.Events;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of deleting a topology: delete its node states, and release the agent finalizer of those whose agent can
 * no longer tear down (see {@link NodeGoneCheck}), saying so in a Warning event. Node states are cluster-scoped and
 * the topology namespaced, so nothing is left to garbage collection.
 */
final class TopologyTeardown {
    static final String NODE_GONE = "NodeGone";

    private final KubernetesClient client;
    private final NodeStatePublisher<VirtualTopology> states;
    private final NodeGoneCheck gone;
    private final Events events;

    TopologyTeardown(KubernetesClient client, NodeStatePublisher<VirtualTopology> states, NodeGoneCheck gone, Events events) {
        this.client = client;
        this.states = states;
        this.gone = gone;
        this.events = events;
    }

    /** Returns how many node states of the topology still exist after this step. */
    int step(VirtualTopology topology) {
        // read the server, not the cache: the topology's finalizer goes only when the agents are really done
        List<NetworkNodeState> found = states.onServer(topology);
        int remaining = 0;
        for (NetworkNodeState state : found) {
            if (state.getMetadata().getDeletionTimestamp() == null) {
                states.delete(state);
                remaining++;
                continue;
            }
            var why = gone.whyGone(state);
            if (why.isPresent() && hasAgentFinalizer(state)) {
                releaseAgentFinalizer(state);
                events.warning(topology, NODE_GONE, why.get() + ": released node state " + state.getMetadata().getName()
                        + " without teardown; what is left on that node is swept by its agent when it returns");
            } else {
                remaining++;
            }
        }
        return remaining;
    }

    private static boolean hasAgentFinalizer(NetworkNodeState state) {
        return state.getMetadata().getFinalizers() != null && state.getMetadata().getFinalizers().contains(Nfvlab.AGENT_FINALIZER);
    }

    private void releaseAgentFinalizer(NetworkNodeState state) {
        client.resource(state).edit(s -> {
            List<String> finalizers = new ArrayList<>(s.getMetadata().getFinalizers());
            finalizers.remove(Nfvlab.AGENT_FINALIZER);
            s.getMetadata().setFinalizers(finalizers);
            return s;
        });
    }
}
