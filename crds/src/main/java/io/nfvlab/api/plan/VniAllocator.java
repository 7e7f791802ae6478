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
    /** VNIs below this are left to the cluster's own overlays (flannel uses 1, others small numbers). */
    public static final int MIN_VNI = 4096;
    public static final int MAX_VNI = (1 << 24) - 1;

    private VniAllocator() {
    }

    /**
     * @param linkIds   the cross-node links that need a VNI
     * @param previous  VNIs given to links of this topology before (link id → VNI); entries for other links are dropped
     * @param inUse     VNIs used by other owners
     * @return link id → VNI, sorted by link id
     */
    public static Map<String, Integer> allocate(String token, List<String> linkIds, Map<String, Integer> previous,
                                                Set<Integer> inUse) {
        Map<String, Integer> result = new TreeMap<>();
        Set<Integer> taken = new HashSet<>(inUse);
        List<String> sorted = linkIds.stream().sorted().toList();
        for (String id : sorted) {
            Integer vni = previous.get(id);
            if (vni != null && vni >= MIN_VNI && vni <= MAX_VNI && !taken.contains(vni)) {
                result.put(id, vni);
                taken.add(vni);
            }
        }
        for (String id : sorted) {
            if (result.containsKey(id)) {
                continue;
            }
            int range = MAX_VNI - MIN_VNI + 1;
            int vni = MIN_VNI + Math.floorMod(hash(token + "/" + id), range);
            while (taken.contains(vni)) {
                vni = vni == MAX_VNI ? MIN_VNI : vni + 1;
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
