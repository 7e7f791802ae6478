package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus;
import io.nfvlab.api.plan.NodeStateShards;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One node's states of one owner seen as the one state the reconcilers reason about: the parts' specs joined back
 * into the node's plan, their counts added up, their errors and traffic results listed together, and Synced only when
 * every part applied its own generation without error. Read-only: writes and deletions go to the parts themselves.
 */
final class SplitStateView {
    private SplitStateView() {
    }

    /** The view of {@code parts} (at least one); a single unsplit state is returned as it is. */
    static NetworkNodeState of(List<NetworkNodeState> parts) {
        if (parts.size() == 1 && parts.get(0).getSpec().getShard() == null) {
            return parts.get(0);
        }
        List<NetworkNodeState> ordered = parts.stream().sorted(Comparator.comparingInt(SplitStateView::index)).toList();
        NetworkNodeState first = ordered.get(0);
        NetworkNodeState view = new NetworkNodeState();
        view.setMetadata(new ObjectMetaBuilder(first.getMetadata()).build());
        List<NetworkNodeStateSpec> specs = ordered.stream().map(NetworkNodeState::getSpec).toList();
        // an incomplete set joins into a plan that differs from the desired one, so the node never counts as synced
        view.setSpec(NodeStateShards.merge(specs));
        view.setStatus(status(ordered, NodeStateShards.complete(specs)));
        return view;
    }

    private static int index(NetworkNodeState s) {
        var shard = s.getSpec().getShard();
        return shard == null || shard.getIndex() == null ? 0 : shard.getIndex();
    }

    private static NetworkNodeStateStatus status(List<NetworkNodeState> parts, boolean complete) {
        if (parts.stream().allMatch(p -> p.getStatus() == null)) {
            return null;
        }
        NetworkNodeState first = parts.get(0);
        boolean allObserved = complete && parts.stream().allMatch(p -> p.getStatus() != null
                && Objects.equals(p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration()));
        NetworkNodeStateStatus s = new NetworkNodeStateStatus();
        // the view's generation is the first part's: it counts as observed only when every part observed its own
        s.setObservedGeneration(allObserved ? first.getMetadata().getGeneration() : null);
        s.setHostsReady(sum(parts, NetworkNodeStateStatus::getHostsReady));
        s.setSwitchesReady(sum(parts, NetworkNodeStateStatus::getSwitchesReady));
        s.setLinksReady(sum(parts, NetworkNodeStateStatus::getLinksReady));
        s.setTunnelsReady(sum(parts, NetworkNodeStateStatus::getTunnelsReady));
        s.setLastActions(sum(parts, NetworkNodeStateStatus::getLastActions));
        s.setLastSyncTime(first.getStatus() == null ? null : first.getStatus().getLastSyncTime());
        s.setErrors(concat(parts, NetworkNodeStateStatus::getErrors));
        s.setDpdkBridges(concat(parts, NetworkNodeStateStatus::getDpdkBridges));
        s.setTrafficResults(concat(parts, NetworkNodeStateStatus::getTrafficResults));
        s.setConditions(conditions(parts));
        return s;
    }

    /** The first part's conditions, with the Synced of the first part that is not synced in place of its own. */
    private static List<Condition> conditions(List<NetworkNodeState> parts) {
        List<Condition> base = parts.get(0).getStatus() == null ? new ArrayList<>() : new ArrayList<>(parts.get(0).getStatus().getConditions());
        for (NetworkNodeState p : parts) {
            List<Condition> own = p.getStatus() == null ? List.of() : p.getStatus().getConditions();
            Condition synced = Conditions.find(own, Conditions.SYNCED).orElse(null);
            if (synced == null || !Conditions.TRUE.equals(synced.getStatus())) {
                base.removeIf(c -> Conditions.SYNCED.equals(c.getType()));
                if (synced != null) {
                    base.add(synced);
                }
                return base;
            }
        }
        return base;
    }

    private static Integer sum(List<NetworkNodeState> parts, Function<NetworkNodeStateStatus, Integer> field) {
        Integer total = null;
        for (NetworkNodeState p : parts) {
            Integer v = p.getStatus() == null ? null : field.apply(p.getStatus());
            if (v != null) {
                total = (total == null ? 0 : total) + v;
            }
        }
        return total;
    }

    private static <T> List<T> concat(List<NetworkNodeState> parts, Function<NetworkNodeStateStatus, List<T>> field) {
        List<T> out = new ArrayList<>();
        parts.forEach(p -> {
            if (p.getStatus() != null && field.apply(p.getStatus()) != null) {
                out.addAll(field.apply(p.getStatus()));
            }
        });
        return out.isEmpty() ? null : out;
    }
}
