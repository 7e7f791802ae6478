package io.nfvlab.api.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        MessageDigest sha256 = sha256();
        for (String id : sorted) {
            if (result.containsKey(id)) {
                continue;
            }
            int range = MAX_VNI - MIN_VNI + 1;
            int vni = MIN_VNI + Math.floorMod(hash(sha256, token + "/" + id), range);
            while (taken.contains(vni)) {
                vni = vni == MAX_VNI ? MIN_VNI : vni + 1;
            }
            result.put(id, vni);
            taken.add(vni);
        }
        return result;
    }

    /** The first four bytes of SHA-256(s); {@code digest} resets the digest, so one instance serves a whole allocation. */
    private static int hash(MessageDigest sha256, String s) {
        byte[] d = sha256.digest(s.getBytes(StandardCharsets.UTF_8));
        return ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
