package io.nfvlab.operator.topology;

import io.nfvlab.api.plan.VniAllocator;
import io.nfvlab.api.plan.VniRange;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Serializes VNI allocation inside one operator: topologies reconciled in parallel see each other's fresh
 * allocations before they reach the informer cache. What the cache already shows is passed in by the caller.
 */
final class VniRegistry {
    private final Map<String, Set<Integer>> byOwner = new HashMap<>();

    synchronized Map<String, Integer> allocate(String ownerUid, String token, List<String> linkIds,
                                               Map<String, Integer> previous, Supplier<Set<Integer>> usedByOthersInCache, VniRange range) {
        if (linkIds.isEmpty()) {
            // nothing crosses nodes (every topology packed on one node): no VNI to give, so no need to gather the
            // others' — a scan of every node state and every owner, under this lock, per reconcile
            byOwner.remove(ownerUid);
            return new java.util.TreeMap<>();
        }
        Set<Integer> inUse = new HashSet<>(usedByOthersInCache.get());
        byOwner.forEach((owner, vnis) -> {
            if (!owner.equals(ownerUid)) {
                inUse.addAll(vnis);
            }
        });
        Map<String, Integer> result = VniAllocator.allocate(token, linkIds, previous, inUse, range);
        byOwner.put(ownerUid, new HashSet<>(result.values()));
        return result;
    }

    synchronized void release(String ownerUid) {
        byOwner.remove(ownerUid);
    }
}
