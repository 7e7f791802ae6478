package io.nfvlab.api.plan;

import io.nfvlab.api.common.Hashes;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * VXLAN network identifiers for cross-node links. A link keeps the VNI it was given (recorded in the topology's
 * status and in its published node states); a new link starts at a hash of (owner token, link id) and probes upwards
 * past VNIs in use, so the result depends only on the inputs and VNIs never collide on a node's underlay.
 */
public final class VniAllocator {
    private VniAllocator() {
    }

    /** As {@link #allocate(String, List, Map, Set, VniRange)} in the {@link VniRange#DEFAULT} range. */
    public static Map<String, Integer> allocate(String token, List<String> linkIds, Map<String, Integer> previous,
                                                Set<Integer> inUse) {
        return allocate(token, linkIds, previous, inUse, VniRange.DEFAULT);
    }

    /**
     * @param linkIds   the cross-node links that need a VNI
     * @param previous  VNIs given to links of this topology before (link id → VNI); entries for other links, and VNIs
     *                  outside {@code range} (the range was changed), are dropped
     * @param inUse     VNIs used by other owners
     * @param range     the VNIs to give
     * @return link id → VNI, sorted by link id
     * @throws IllegalStateException when the range has fewer free VNIs than links need
     */
    public static Map<String, Integer> allocate(String token, List<String> linkIds, Map<String, Integer> previous,
                                                Set<Integer> inUse, VniRange range) {
        Map<String, Integer> result = new TreeMap<>();
        Set<Integer> taken = new HashSet<>(inUse);
        List<String> sorted = linkIds.stream().sorted().toList();
        for (String id : sorted) {
            Integer vni = previous.get(id);
            if (vni != null && range.contains(vni) && !taken.contains(vni)) {
                result.put(id, vni);
                taken.add(vni);
            }
        }
        for (String id : sorted) {
            if (result.containsKey(id)) {
                continue;
            }
            int vni = range.min() + Math.floorMod(hash(token + "/" + id), range.size());
            for (int probed = 0; taken.contains(vni); probed++) {
                if (probed >= range.size()) {
                    throw new IllegalStateException("VNI range " + range + " has no free VNI left for link " + id);
                }
                vni = vni == range.max() ? range.min() : vni + 1;
            }
            result.put(id, vni);
            taken.add(vni);
        }
        return result;
    }

    private static int hash(String s) {
        byte[] d = Hashes.sha256(s);
        return ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
    }
}
