package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.operator.controller.Events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of deleting an owner (VirtualTopology, DpdkBridge or TrafficTest) that every kind shares: delete its node
 * states, and release the agent finalizer of those no agent will ever tear down, saying why in a Warning event on the
 * owner. A state is released when {@link NodeGoneCheck} finds its node gone or its agent silent past the grace, or
 * when the user marked the owner or the state with {@link Nfvlab#FORCE_RELEASE_ANNOTATION}. The owner keeps its own
 * finalizer until {@link #step} returns 0, so a deletion ends exactly when nothing is left to wait for.
 */
public final class NodeStateWithdrawal<P extends HasMetadata> {
    /** Reason of the Warning event when a state is released because its node or agent is gone. */
    public static final String NODE_GONE = "NodeGone";
    /** Reason of the Warning event when a state is released because the user asked. */
    public static final String FORCE_RELEASED = "ForceReleased";

    private final KubernetesClient client;
    private final NodeStatePublisher<P> states;
    private final NodeGoneCheck gone;
    private final Events events;

    public NodeStateWithdrawal(KubernetesClient client, NodeStatePublisher<P> states, NodeGoneCheck gone, Events events) {
        this.client = client;
        this.states = states;
        this.gone = gone;
        this.events = events;
    }

    /** Returns how many node states of {@code owner} still exist after this step (read from the server, not the cache). */
    public int step(P owner) {
        List<NetworkNodeState> found = states.onServer(owner);
        int remaining = 0;
        for (NetworkNodeState state : found) {
            if (state.getMetadata().getDeletionTimestamp() == null) {
                states.delete(state);
                remaining++;
                continue;
            }
            if (!hasAgentFinalizer(state)) {
                remaining++;   // going away by itself
                continue;
            }
            Optional<String> why = forced(owner, state);
            String reason = FORCE_RELEASED;
            if (why.isEmpty()) {
                why = gone.whyGone(state);
                reason = NODE_GONE;
            }
            if (why.isPresent() && releaseAgentFinalizer(state)) {
                events.warning(owner, reason, why.get() + ": released node state " + state.getMetadata().getName()
                        + " without teardown; what is left on that node is swept by its agent when it returns");
            } else {
                remaining++;
            }
        }
        return remaining;
    }

    private static Optional<String> forced(HasMetadata owner, NetworkNodeState state) {
        if (annotated(owner)) {
            return Optional.of(owner.getKind() + " " + owner.getMetadata().getName() + " carries " + Nfvlab.FORCE_RELEASE_ANNOTATION + "=true");
        }
        if (annotated(state)) {
            return Optional.of("node state " + state.getMetadata().getName() + " carries " + Nfvlab.FORCE_RELEASE_ANNOTATION + "=true");
        }
        return Optional.empty();
    }

    private static boolean annotated(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations != null && "true".equals(annotations.get(Nfvlab.FORCE_RELEASE_ANNOTATION));
    }

    private static boolean hasAgentFinalizer(NetworkNodeState state) {
        return state.getMetadata().getFinalizers() != null && state.getMetadata().getFinalizers().contains(Nfvlab.AGENT_FINALIZER);
    }

    /** True when this step removed the finalizer; false when the state changed meanwhile (the next step sees it anew). */
    private boolean releaseAgentFinalizer(NetworkNodeState state) {
        try {
            client.resource(state).edit(s -> {
                List<String> finalizers = new ArrayList<>(s.getMetadata().getFinalizers());
                finalizers.remove(Nfvlab.AGENT_FINALIZER);
                s.getMetadata().setFinalizers(finalizers);
                return s;
            });
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }
}
