package io.nfvlab.api.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.api.common.Hashes;
import io.nfvlab.api.common.ModelJson;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.PlanShard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Splits one node's plan into parts that each fit in a NetworkNodeState, and joins them back. A real API server
 * stores at most ~1.5 MiB per object (etcd), so a part's spec is kept under {@link #BUDGET_BYTES} of JSON, leaving room
 * for metadata and the agent's status. Every list of the plan is cut in order, item by item, wherever the budget
 * ends; nothing has to stay together because the agent applies the union of all parts (a switch in one part and its
 * ports in another are one plan to it), and only once it holds every part of the same plan ({@link #complete}).
 * A plan that fits stays one object without a {@code shard} field, exactly as before splitting existed.
 */
public final class NodeStateShards {
    /** A third of etcd's object limit: status (capped by the agent) and metadata fit beside it with room to spare. */
    public static final int BUDGET_BYTES = 512 * 1024;
    public static final String PLAN_TOO_LARGE = "PlanTooLarge";

    private static final ObjectMapper JSON = ModelJson.mapper();

    private NodeStateShards() {
    }

    /** {@link #split(NetworkNodeStateSpec, int)} with {@link #BUDGET_BYTES}. */
    public static List<NetworkNodeStateSpec> split(NetworkNodeStateSpec spec) {
        return split(spec, BUDGET_BYTES);
    }

    /**
     * The parts of {@code spec}, each at most {@code budget} bytes of JSON; the spec itself (one part) when it fits.
     *
     * @throws PlacementException when one item alone is larger than the budget (reason {@link #PLAN_TOO_LARGE})
     */
    public static List<NetworkNodeStateSpec> split(NetworkNodeStateSpec spec, int budget) {
        // one serialization gives both the size and the plan's hash
        byte[] json = planJson(spec);
        if (json.length <= budget) {
            return List.of(spec);
        }
        String plan = Hashes.sha256Hex(json).substring(0, 16);
        NetworkNodeStateSpec empty = NetworkNodeStateSpec.builder().nodeName(spec.getNodeName()).owner(spec.getOwner())
                // the widest shard field this plan can get, so that the measured base is never short
                .shard(PlanShard.builder().index(99_999).count(99_999).plan(plan).build())
                .build();
        Packer packer = new Packer(empty, size(empty), budget);
        packer.section("dpdkBridges", spec.dpdkBridgesOrEmpty(), NetworkNodeStateSpec::getDpdkBridges, NetworkNodeStateSpec::setDpdkBridges);
        packer.section("switches", spec.switchesOrEmpty(), NetworkNodeStateSpec::getSwitches, NetworkNodeStateSpec::setSwitches);
        packer.section("hosts", spec.hostsOrEmpty(), NetworkNodeStateSpec::getHosts, NetworkNodeStateSpec::setHosts);
        packer.section("links", spec.linksOrEmpty(), NetworkNodeStateSpec::getLinks, NetworkNodeStateSpec::setLinks);
        packer.section("tunnels", spec.tunnelsOrEmpty(), NetworkNodeStateSpec::getTunnels, NetworkNodeStateSpec::setTunnels);
        packer.section("staticArp", spec.staticArpOrEmpty(), NetworkNodeStateSpec::getStaticArp, NetworkNodeStateSpec::setStaticArp);
        packer.section("trafficJobs", spec.trafficJobsOrEmpty(), NetworkNodeStateSpec::getTrafficJobs, NetworkNodeStateSpec::setTrafficJobs);
        List<NetworkNodeStateSpec> parts = packer.parts;
        for (int i = 0; i < parts.size(); i++) {
            parts.get(i).setShard(PlanShard.builder().index(i).count(parts.size()).plan(plan).build());
        }
        return List.copyOf(parts);
    }

    /**
     * Whether {@code parts} are all the parts of one plan: an unsplit spec alone, or parts 0..count-1 each once, all
     * with the same count and plan hash.
     */
    public static boolean complete(List<NetworkNodeStateSpec> parts) {
        if (parts.isEmpty()) {
            return false;
        }
        if (parts.size() == 1 && parts.get(0).getShard() == null) {
            return true;
        }
        PlanShard first = parts.get(0).getShard();
        if (first == null || first.getCount() == null || first.getCount() != parts.size()) {
            return false;
        }
        boolean[] seen = new boolean[parts.size()];
        for (NetworkNodeStateSpec p : parts) {
            PlanShard s = p.getShard();
            if (s == null || s.getIndex() == null || !Objects.equals(s.getCount(), first.getCount())
                    || !Objects.equals(s.getPlan(), first.getPlan()) || s.getIndex() < 0 || s.getIndex() >= seen.length || seen[s.getIndex()]) {
                return false;
            }
            seen[s.getIndex()] = true;
        }
        return true;
    }

    /**
     * The plan the parts were cut from (lists concatenated in part order, no shard field); whatever parts are given,
     * so a caller that needs the whole plan checks {@link #complete} first.
     */
    public static NetworkNodeStateSpec merge(List<NetworkNodeStateSpec> parts) {
        if (parts.size() == 1 && parts.get(0).getShard() == null) {
            return parts.get(0);
        }
        List<NetworkNodeStateSpec> ordered = parts.stream()
                .sorted(Comparator.comparingInt(p -> p.getShard() == null || p.getShard().getIndex() == null ? 0 : p.getShard().getIndex()))
                .toList();
        NetworkNodeStateSpec first = ordered.get(0);
        NetworkNodeStateSpec whole = NetworkNodeStateSpec.builder().nodeName(first.getNodeName()).owner(first.getOwner()).build();
        whole.setDpdkBridges(concat(ordered, NetworkNodeStateSpec::getDpdkBridges));
        whole.setSwitches(concat(ordered, NetworkNodeStateSpec::getSwitches));
        whole.setHosts(concat(ordered, NetworkNodeStateSpec::getHosts));
        whole.setLinks(concat(ordered, NetworkNodeStateSpec::getLinks));
        whole.setTunnels(concat(ordered, NetworkNodeStateSpec::getTunnels));
        whole.setStaticArp(concat(ordered, NetworkNodeStateSpec::getStaticArp));
        whole.setTrafficJobs(concat(ordered, NetworkNodeStateSpec::getTrafficJobs));
        return whole;
    }

    /**
     * Hash of a whole node plan as the planner made it, blind to the owner's generation (a new generation alone never
     * rewrites a state). Only compared between parts cut from one plan, so the JSON need not be normalized.
     */
    public static String planHash(NetworkNodeStateSpec spec) {
        return Hashes.sha256Hex(planJson(spec)).substring(0, 16);
    }

    /** Whether two parts are the same part of the same plan: then their contents are equal too (up to generation). */
    public static boolean samePart(NetworkNodeStateSpec a, NetworkNodeStateSpec b) {
        return a != null && b != null && a.getShard() != null && a.getShard().getPlan() != null && a.getShard().equals(b.getShard());
    }

    private static byte[] planJson(NetworkNodeStateSpec spec) {
        NetworkNodeStateSpec.NetworkNodeStateSpecBuilder b = spec.toBuilder().shard(null);
        if (spec.getOwner() != null) {
            b.owner(spec.getOwner().toBuilder().generation(null).build());
        }
        try {
            return JSON.writeValueAsBytes(b.build());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize the plan", e);
        }
    }

    /** Bytes of {@code value} as JSON, as the client sends it. */
    public static int size(Object value) {
        try {
            return JSON.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> List<T> concat(List<NetworkNodeStateSpec> parts, Function<NetworkNodeStateSpec, List<T>> list) {
        List<T> out = new ArrayList<>();
        parts.forEach(p -> {
            if (list.apply(p) != null) {
                out.addAll(list.apply(p));
            }
        });
        return out.isEmpty() ? null : out;
    }

    /** Fills parts in order: the current part takes items until the next would pass the budget. */
    private static final class Packer {
        final NetworkNodeStateSpec empty;
        final int baseSize;
        final int budget;
        final List<NetworkNodeStateSpec> parts = new ArrayList<>();
        NetworkNodeStateSpec current;
        int currentSize;

        Packer(NetworkNodeStateSpec empty, int baseSize, int budget) {
            this.empty = empty;
            this.baseSize = baseSize;
            this.budget = budget;
            next();
        }

        private void next() {
            current = empty.toBuilder().build();
            currentSize = baseSize;
            parts.add(current);
        }

        <T> void section(String field, List<T> items, Function<NetworkNodeStateSpec, List<T>> get,
                         BiConsumer<NetworkNodeStateSpec, List<T>> set) {
            // "field":[ … ], plus the comma before it
            int sectionOverhead = field.length() + 6;
            for (int i = 0; i < items.size(); i++) {
                T item = items.get(i);
                int itemSize = size(item) + 1;
                if (baseSize + sectionOverhead + itemSize > budget) {
                    throw new PlacementException(PLAN_TOO_LARGE, "spec." + field + "[" + i + "] alone is " + itemSize
                            + " bytes of JSON, more than a NetworkNodeState's budget of " + budget);
                }
                List<T> list = get.apply(current);
                int cost = itemSize + (list == null || list.isEmpty() ? sectionOverhead : 0);
                if (currentSize + cost > budget) {
                    next();
                    list = null;
                    cost = itemSize + sectionOverhead;
                }
                if (list == null || list.isEmpty()) {
                    list = new ArrayList<>();
                    set.accept(current, list);
                }
                list.add(item);
                currentSize += cost;
            }
        }
    }
}
