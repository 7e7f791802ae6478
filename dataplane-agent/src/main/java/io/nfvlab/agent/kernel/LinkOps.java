package io.nfvlab.agent.kernel;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Interfaces, addresses, routes and neighbours. Linux: {@code ip -j -d -s addr show} in the node root,
 * {@code ip -batch} with {@code netns exec} to read host namespaces, and one {@code ip [-n NS] -force -batch -} per
 * namespace to change them ({@code ip link add|set|del}, {@code ip addr add|del}, {@code ip route replace},
 * {@code ip neigh replace}).
 */
public interface LinkOps {
    /** Reads the node root (key {@link Observed#ROOT}) and each listed host namespace that exists. */
    Map<String, Observed.Namespace> observe(Collection<String> hostNetns, boolean withQdiscs);

    /**
     * The interfaces of the node root and of each listed namespace, at least (an implementation may leave out
     * addresses, routes, neighbours and qdiscs): what a teardown decides by — the owner's mark on each namespace's
     * loopback, and the marks, groups and names of the root's devices.
     */
    default Map<String, Observed.Namespace> observeInterfaces(Collection<String> hostNetns) {
        return observe(hostNetns, false);
    }

    /**
     * Applies VethAdd, VxlanAdd (run in the node root), and LinkDel, LinkSet, MarkSet, AddrAdd, AddrDel,
     * RouteDefault, NeighSet (run in {@code netns}, null for the node root), in order, as one batch.
     */
    BatchResult apply(String netns, List<Action> actions);

    /** Whether {@code device} exists in {@code netns} (null: the node root); cheap enough to poll. */
    default boolean exists(String netns, String device) {
        Observed.Namespace ns = observe(netns == null ? java.util.Set.of() : java.util.Set.of(netns), false)
                .get(netns == null ? Observed.ROOT : netns);
        return ns != null && ns.get(device) != null;
    }

    /**
     * How many veth devices in {@code netns} (null: the node root) are up and have a carrier that the kernel has not yet
     * acted on: it marks a carrier change at once but brings the device into service later, in its link-watch work
     * (operational state UP, a queue instead of the drop-all one, a bridge port forwarding). With thousands of new
     * links on a busy machine that work ran seconds behind, and a pingall started meanwhile counted loss the emulated
     * network did not cause. Cheap enough to poll.
     */
    default int linksAwaitingService(String netns) {
        return 0;
    }

    /** {@link #apply} for several host namespaces (keys; never the root); Linux runs them from one process. */
    default BatchResult applyInNamespaces(Map<String, List<Action>> byNetns) {
        BatchResult r = BatchResult.OK;
        for (Map.Entry<String, List<Action>> e : byNetns.entrySet()) {
            r = r.plus(apply(e.getKey(), e.getValue()));
        }
        return r;
    }
}
