package io.nfvlab.operator.topology;

import io.nfvlab.api.plan.VniAllocator;
import io.nfvlab.api.plan.VniRange;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serializes VNI allocation inside one operator: topologies reconciled in parallel see each other's fresh
 * allocations before they reach the informer cache. What the cache already shows is passed in by the caller.
 */
final class VniRegistry {
    private final Map<String, Set<Integer>> byOwner = new HashMap<>();

    synchronized Map<String, Integer> allocate(String ownerUid, String token, List<String> linkIds,
                                               Map<String, Integer> previous, Set<Integer> usedByOthersInCache, VniRange range) {
        Set<Integer> inUse = new HashSet<>(usedByOthersInCache);
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
