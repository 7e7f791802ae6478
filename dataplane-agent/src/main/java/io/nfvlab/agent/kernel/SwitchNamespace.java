package io.nfvlab.agent.kernel;

import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.SwitchKind;

import java.util.List;

/**
 * Where the switch side of a topology lives on a node. The plan puts switch ends in the node root ({@code netns}
 * null); when every switch of the plan is a Linux bridge, the agent builds the bridges, the switch ends of links,
 * the delay-line devices and the VXLAN ends inside one namespace of the owner's instead
 * ({@link KernelNames#switchNetns}). Why: the kernel unregisters the devices of a dying namespace in one batch from
 * its own work queue, where deleting the same bridges one by one in the root waits for an RCU barrier per bridge
 * (bench/agent/README.md, "Teardown designs": 100 bridges, ≈5.5 s against ≈1.8 s). OVS switches cannot follow:
 * ovs-vswitchd's netdev ports are devices of the root namespace, so plans with OVS keep the root.
 */
public final class SwitchNamespace {
    private SwitchNamespace() {
    }

    /** The switch namespace of this plan, or null when its switch side stays in the node root. */
    public static String of(String token, String node, NetworkNodeStateSpec spec) {
        return applies(spec) ? KernelNames.switchNetns(token, node) : null;
    }

    /** Every switch a Linux bridge, and no DpdkBridge: nothing of the switch side needs the root namespace. */
    static boolean applies(NetworkNodeStateSpec spec) {
        List<PlannedSwitch> switches = spec.switchesOrEmpty();
        return !switches.isEmpty() && spec.dpdkBridgesOrEmpty().isEmpty()
                && switches.stream().allMatch(s -> s.getKind() == null || s.getKind() == SwitchKind.LINUX_BRIDGE)
                && spec.linksOrEmpty().stream().noneMatch(l -> l.vhostUserEnd() != null);
    }

    /** The plan with its switch ends moved into {@code netns} (null: the plan unchanged). */
    static NetworkNodeStateSpec relocate(NetworkNodeStateSpec spec, String netns) {
        if (netns == null) {
            return spec;
        }
        List<PlannedLink> links = spec.linksOrEmpty().stream()
                .map(l -> l.toBuilder().a(into(l.getA(), netns)).b(into(l.getB(), netns)).build()).toList();
        List<PlannedTunnel> tunnels = spec.tunnelsOrEmpty().stream()
                .map(t -> t.toBuilder().endpoint(into(t.getEndpoint(), netns)).build()).toList();
        // the builder's list setters add to what toBuilder copied: clear first
        return spec.toBuilder().clearLinks().links(links).clearTunnels().tunnels(tunnels).build();
    }

    private static Endpoint into(Endpoint e, String netns) {
        return e == null || e.getNetns() != null ? e : e.toBuilder().netns(netns).build();
    }
}
