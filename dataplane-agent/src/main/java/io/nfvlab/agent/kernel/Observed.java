package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.RelayKey;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the kernel and OVS hold right now, as far as the planner needs to know. */
public final class Observed {
    private Observed() {
    }

    /** The node's root namespace in maps keyed by namespace. */
    public static final String ROOT = "";

    /** VXLAN attributes as the kernel reports them. */
    public record Vxlan(int vni, String local, String remote, int dstPort) {
    }

    public record Counters(long rxBytes, long rxPackets, long rxDropped, long txBytes, long txPackets, long txDropped) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0);
    }

    /** One network interface. {@code kind} is veth, bridge, vxlan, … or null; {@code master} null for none. */
    public record Interface(String name, String kind, String alias, int mtu, boolean up, String master, String mac,
                            Set<String> addresses, Boolean stp, Vxlan vxlan, Counters counters, int group) {
    }

    /**
     * One namespace: its interfaces, the kind of each root qdisc, the devices with a clsact qdisc (loss filters),
     * its default route and permanent ARP entries.
     */
    public record Namespace(String name, Map<String, Interface> interfaces, Map<String, String> rootQdiscs,
                            Set<String> clsact, String defaultRouteDevice, Set<Neigh> neighbours) {
        public Interface get(String device) {
            return interfaces.get(device);
        }
    }

    public record Neigh(String device, String address, String mac) {
    }

    public record OvsPort(String name, String bridge, Map<String, String> externalIds, String error) {
    }

    public record OvsBridge(String name, Map<String, String> externalIds, String datapathType, boolean stp,
                            String controller, String error) {
    }

    /** OVS as seen through OVSDB: only objects carrying the nfvlab external_ids. {@code available} false: no OVS. */
    public record Ovs(boolean available, Map<String, OvsBridge> bridges, Map<String, OvsPort> ports) {
        public static final Ovs NONE = new Ovs(false, Map.of(), Map.of());
    }

    /** The whole picture: every nfv- namespace name, the namespaces read in detail, OVS, and running delay lines. */
    public record State(Set<String> netns, Map<String, Namespace> namespaces, Ovs ovs, Map<RelayKey, DelayLine> relays) {
        public Namespace root() {
            return namespaces.get(ROOT);
        }

        public Namespace ns(String netns) {
            return namespaces.get(netns == null ? ROOT : netns);
        }
    }

    public static Namespace emptyNamespace(String name) {
        return new Namespace(name, Map.of(), Map.of(), Set.of(), null, Set.of());
    }

    public static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
