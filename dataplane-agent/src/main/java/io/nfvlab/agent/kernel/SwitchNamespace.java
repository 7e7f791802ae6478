package io.nfvlab.agent.kernel;

import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.SwitchKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the switch side of a topology lives on a node. The plan puts switch ends in the node root ({@code netns}
 * null); when every switch of the plan is a Linux bridge, the agent builds the bridges, the switch ends of links,
 * the delay-line devices and the VXLAN ends inside namespaces of the owner's instead
 * ({@link KernelNames#switchNetns}): one, unless the plan has more than {@link #PORTS_PER_NAMESPACE} switch ports.
 * Why: the kernel unregisters the devices of a dying namespace in one batch from its own work queue, where deleting
 * the same bridges one by one in the root waits for an RCU barrier per bridge (bench/agent/README.md, "Teardown
 * designs": 100 bridges, ≈5.5 s against ≈1.8 s). OVS switches cannot follow: ovs-vswitchd's netdev ports are devices
 * of the root namespace, so plans with OVS keep the root.
 */
public final class SwitchNamespace {
    private SwitchNamespace() {
    }

    /**
     * Switch ports per namespace, at most (whole switches: one switch with more has a namespace of its own). Every
     * change notification about a port reports its peer's namespace id, which the kernel finds by a linear scan of
     * the ids the port's namespace holds, one per host namespace a port links to: on the 10,000-host tree, in one
     * namespace, configuring the 10,100 ports took 7.0 s by hand and 10 s in the agent; in five, 2.8 s by hand. More
     * namespaces configure no faster and delete slower: the kernel's clean-up of each dying namespace scans the ids
     * of every live one (10: 2.4–2.9 s, 20: 3.4–4.2 s against 0.6–1.0 s for five; bench/agent/README.md).
     */
    static final int PORTS_PER_NAMESPACE = 2000;

    /**
     * Where each switch of the plan lives: whole switches, in plan order, filling namespaces of at most
     * {@link #PORTS_PER_NAMESPACE} ports; null when the switch side stays in the node root.
     */
    static Layout layout(String token, String node, NetworkNodeStateSpec spec) {
        if (!applies(spec)) {
            return null;
        }
        Map<String, Integer> ports = new HashMap<>();
        for (PlannedLink l : spec.linksOrEmpty()) {
            countPort(ports, l.getA());
            countPort(ports, l.getB());
        }
        for (PlannedTunnel t : spec.tunnelsOrEmpty()) {
            countPort(ports, t.getEndpoint());
        }
        Map<String, String> bySwitch = new HashMap<>();
        List<String> namespaces = new ArrayList<>(List.of(KernelNames.switchNetns(token, node)));
        int filled = 0;
        for (PlannedSwitch s : spec.switchesOrEmpty()) {
            int n = ports.getOrDefault(s.getDevice(), 0);
            if (filled > 0 && filled + n > PORTS_PER_NAMESPACE) {
                namespaces.add(KernelNames.switchNetns(token, node, namespaces.size()));
                filled = 0;
            }
            filled += n;
            bySwitch.put(s.getDevice(), namespaces.get(namespaces.size() - 1));
        }
        return new Layout(List.copyOf(namespaces), bySwitch);
    }

    /** Counts {@code e} as a port of its switch when it is a switch end (on a bridge, in no host namespace). */
    private static void countPort(Map<String, Integer> ports, Endpoint e) {
        if (e != null && e.getNetns() == null && e.getBridge() != null) {
            ports.merge(e.getBridge(), 1, Integer::sum);
        }
    }

    /** The switch-side namespaces of a plan, the first holding the marker pair, and the one of each switch device. */
    record Layout(List<String> namespaces, Map<String, String> bySwitch) {
        String first() {
            return namespaces.get(0);
        }

        /** The namespace of the switch whose device is {@code bridge} (the first for one the plan does not name). */
        String of(String bridge) {
            return bridge == null ? first() : bySwitch.getOrDefault(bridge, first());
        }

        boolean contains(String netns) {
            return netns != null && namespaces.contains(netns);
        }
    }

    /** Every switch a Linux bridge, and no DpdkBridge: nothing of the switch side needs the root namespace. */
    static boolean applies(NetworkNodeStateSpec spec) {
        List<PlannedSwitch> switches = spec.switchesOrEmpty();
        return !switches.isEmpty() && spec.dpdkBridgesOrEmpty().isEmpty()
                && switches.stream().allMatch(s -> s.getKind() == null || s.getKind() == SwitchKind.LINUX_BRIDGE)
                && spec.linksOrEmpty().stream().noneMatch(l -> l.vhostUserEnd() != null);
    }

    /** The plan with each switch end moved into its switch's namespace (layout null: the plan unchanged). */
    static NetworkNodeStateSpec relocate(NetworkNodeStateSpec spec, Layout layout) {
        if (layout == null) {
            return spec;
        }
        List<PlannedLink> links = spec.linksOrEmpty().stream()
                .map(l -> l.toBuilder().a(into(l.getA(), layout)).b(into(l.getB(), layout)).build()).toList();
        List<PlannedTunnel> tunnels = spec.tunnelsOrEmpty().stream()
                .map(t -> t.toBuilder().endpoint(into(t.getEndpoint(), layout)).build()).toList();
        // the builder's list setters add to what toBuilder copied: clear first
        return spec.toBuilder().clearLinks().links(links).clearTunnels().tunnels(tunnels).build();
    }

    private static Endpoint into(Endpoint e, Layout layout) {
        return e == null || e.getNetns() != null ? e : e.toBuilder().netns(layout.of(e.getBridge())).build();
    }
}
