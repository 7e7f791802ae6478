package io.nfvlab.agent;

import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.OwnerRef;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which owner holds each kernel-name token on this node, from the states the agent has accepted. The operator never
 * gives one token to two owners (the API server records who holds it), but a state is only as honest as whoever wrote
 * it: a second owner arriving with a token already held here would build into, and tear down, the first one's
 * namespaces and bridges, so its state is refused instead. A token is released when the last state of its owner on
 * this node is gone.
 */
final class TokenHolders {
    private record Holder(String owner, Set<String> states) {
    }

    private final Map<String, Holder> byToken = new HashMap<>();
    /** The token each accepted state was last accepted with: a state whose token changes gives up the old one. */
    private final Map<String, String> tokenOfState = new HashMap<>();

    /**
     * Records that {@code state}'s owner holds its token here; returns null, or who else holds it (then nothing is
     * recorded and the state must not be acted on).
     */
    synchronized String claim(NetworkNodeState state) {
        OwnerRef owner = state.getSpec().getOwner();
        String identity = identity(owner);
        Holder holder = byToken.computeIfAbsent(owner.getToken(), t -> new Holder(identity, new HashSet<>()));
        if (!holder.owner().equals(identity)) {
            return holder.owner();
        }
        String name = state.getMetadata().getName();
        String before = tokenOfState.put(name, owner.getToken());
        if (before != null && !before.equals(owner.getToken())) {
            drop(before, name);
        }
        holder.states().add(name);
        return null;
    }

    /** Who else holds {@code state}'s token here, or null when it is free or its own owner's. Records nothing. */
    synchronized String otherHolder(NetworkNodeState state) {
        OwnerRef owner = state.getSpec().getOwner();
        Holder holder = byToken.get(owner.getToken());
        return holder == null || holder.owner().equals(identity(owner)) ? null : holder.owner();
    }

    /** {@code state} is gone (torn down): its owner's hold ends with its last state here. */
    synchronized void release(NetworkNodeState state) {
        OwnerRef owner = state.getSpec().getOwner();
        Holder holder = byToken.get(owner.getToken());
        if (holder != null && holder.owner().equals(identity(owner))) {
            tokenOfState.remove(state.getMetadata().getName());
            drop(owner.getToken(), state.getMetadata().getName());
        }
    }

    private void drop(String token, String stateName) {
        Holder holder = byToken.get(token);
        if (holder != null) {
            holder.states().remove(stateName);
            if (holder.states().isEmpty()) {
                byToken.remove(token);
            }
        }
    }

    /** The owner as people name it, with its uid when known (a deleted and re-created owner is another owner). */
    private static String identity(OwnerRef owner) {
        String name = owner.getKind() + " " + (owner.getNamespace() == null ? "" : owner.getNamespace() + "/") + owner.getName();
        return owner.getUid() == null ? name : name + " (uid " + owner.getUid() + ")";
    }
}
