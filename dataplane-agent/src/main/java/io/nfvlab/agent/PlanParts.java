package io.nfvlab.agent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.plan.NodeStateShards;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A node plan split across several NetworkNodeStates ({@link NodeStateShards}), as this agent's cache holds it. The
 * kernel is synced with the whole plan only: every part alone would tear down what the others declare, and a link
 * may end on a switch that another part declares. Each part then reports the items it carries.
 */
final class PlanParts {
    private PlanParts() {
    }

    /** Whether {@code state} is one part of a split plan. */
    static boolean isPart(NetworkNodeState state) {
        return state.getSpec() != null && state.getSpec().getShard() != null;
    }

    /**
     * The parts of {@code state}'s plan in the cache (not being deleted), {@code state} itself as given (it may be
     * newer than the cache).
     */
    static List<NetworkNodeState> parts(NetworkNodeState state, Context<NetworkNodeState> context) {
        List<NetworkNodeState> parts = new ArrayList<>();
        parts.add(state);
        context.getPrimaryCache().list(s -> s.getMetadata().getDeletionTimestamp() == null && isPart(s)
                        && !s.getMetadata().getName().equals(state.getMetadata().getName()) && samePlanOwner(s, state))
                .forEach(parts::add);
        return parts;
    }

    /** The other states of the same owner on this node that are not being deleted (split or not). */
    static List<NetworkNodeState> liveSiblings(NetworkNodeState state, Context<NetworkNodeState> context) {
        return context.getPrimaryCache().list(s -> s.getMetadata().getDeletionTimestamp() == null
                && !s.getMetadata().getName().equals(state.getMetadata().getName()) && samePlanOwner(s, state)).toList();
    }

    /** The whole plan as one state named as {@code state}, or empty while some part is missing or from another plan. */
    static Optional<NetworkNodeState> whole(NetworkNodeState state, List<NetworkNodeState> parts) {
        List<NetworkNodeStateSpec> specs = parts.stream().map(NetworkNodeState::getSpec).toList();
        if (!NodeStateShards.complete(specs)) {
            return Optional.empty();
        }
        NetworkNodeState whole = new NetworkNodeState();
        whole.setMetadata(state.getMetadata());
        whole.setSpec(NodeStateShards.merge(specs));
        return Optional.of(whole);
    }

    /** The errors that belong to {@code part}: those of its items, and (part 0 only) those of no part's item. */
    static List<ItemError> errorsOf(NetworkNodeStateSpec part, NetworkNodeStateSpec whole, List<ItemError> errors) {
        Set<String> own = items(part);
        Set<String> all = items(whole);
        boolean first = part.getShard() == null || Objects.equals(part.getShard().getIndex(), 0);
        return errors.stream().filter(e -> own.contains(e.getItem()) || (first && !all.contains(e.getItem()))).toList();
    }

    private static Set<String> items(NetworkNodeStateSpec spec) {
        Set<String> items = new HashSet<>();
        spec.hostsOrEmpty().forEach(h -> items.add("hosts/" + h.getName()));
        spec.switchesOrEmpty().forEach(s -> items.add("switches/" + s.getName()));
        spec.linksOrEmpty().forEach(l -> items.add("links/" + l.getId()));
        spec.tunnelsOrEmpty().forEach(t -> items.add("tunnels/" + t.getId()));
        return items;
    }

    private static boolean samePlanOwner(NetworkNodeState a, NetworkNodeState b) {
        if (a.getSpec() == null || b.getSpec() == null) {
            return false;
        }
        OwnerRef x = a.getSpec().getOwner();
        OwnerRef y = b.getSpec().getOwner();
        return x != null && y != null && Objects.equals(a.getSpec().getNodeName(), b.getSpec().getNodeName())
                && Objects.equals(x.getKind(), y.getKind()) && Objects.equals(x.getNamespace(), y.getNamespace())
                && Objects.equals(x.getName(), y.getName()) && Objects.equals(x.getToken(), y.getToken());
    }
}
