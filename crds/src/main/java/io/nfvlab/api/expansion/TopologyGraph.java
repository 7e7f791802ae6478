package io.nfvlab.api.expansion;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.SwitchKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A topology expanded into Mininet's terms: hosts with addresses, switches, and links whose ends carry Mininet's
 * interface names (h1-eth0, s1-eth1), in Mininet's order. Immutable, and indexed once by node name so that lookups
 * inside a loop over links stay O(1): validation and planning are linear in hosts plus links (a 10,000-host topology
 * has 20,000 links or more). A class rather than a record only because a record cannot keep those indexes; equality is
 * still that of the three lists.
 */
public final class TopologyGraph {
    private final List<Host> hosts;
    private final List<Switch> switches;
    private final List<Link> links;
    private final Map<String, Host> hostByName = new HashMap<>();
    private final Map<String, Switch> switchByName = new HashMap<>();
    /** Node name → the links it is an end of, each once, in link order. */
    private final Map<String, List<Link>> linksByNode = new HashMap<>();
    /** Node name → its link ends, in link order (a before b). */
    private final Map<String, List<Port>> portsByNode = new HashMap<>();

    public TopologyGraph(List<Host> hosts, List<Switch> switches, List<Link> links) {
        this.hosts = List.copyOf(hosts);
        this.switches = List.copyOf(switches);
        this.links = List.copyOf(links);
        this.hosts.forEach(h -> hostByName.putIfAbsent(h.name(), h));
        this.switches.forEach(s -> switchByName.putIfAbsent(s.name(), s));
        for (Link l : this.links) {
            linksByNode.computeIfAbsent(l.a().node(), n -> new ArrayList<>()).add(l);
            if (!l.a().node().equals(l.b().node())) {
                linksByNode.computeIfAbsent(l.b().node(), n -> new ArrayList<>()).add(l);
            }
            portsByNode.computeIfAbsent(l.a().node(), n -> new ArrayList<>()).add(l.a());
            portsByNode.computeIfAbsent(l.b().node(), n -> new ArrayList<>()).add(l.b());
        }
    }

    public List<Host> hosts() {
        return hosts;
    }

    public List<Switch> switches() {
        return switches;
    }

    public List<Link> links() {
        return links;
    }

    /**
     * A host; {@code vhostUser}: a DPDK application's vhost-user endpoint on its ovs-dpdk switches, no namespace;
     * {@code pod}: a container whose network namespace gets the links as eth1, eth2, … (null for other hosts).
     */
    public record Host(String name, String ip, String mac, String node, String defaultRoute, boolean vhostUser,
                       io.nfvlab.api.topology.PodHostSpec pod) {
        public Host(String name, String ip, String mac, String node, String defaultRoute, boolean vhostUser) {
            this(name, ip, mac, node, defaultRoute, vhostUser, null);
        }

        public boolean isPod() {
            return pod != null;
        }

        /** The address without its prefix length. */
        public String address() {
            int slash = ip.indexOf('/');
            return slash < 0 ? ip : ip.substring(0, slash);
        }
    }

    public record Switch(String name, SwitchKind kind, boolean stp, String bridgeRef, String controller, String node) {
    }

    /** One end of a link: the node, its Mininet interface name and port number. */
    public record Port(String node, String interfaceName, int port, boolean host) {
        /** The device a container host's end is inside the container: eth&lt;port&gt; (its ports count from 1). */
        public String containerDevice() {
            return "eth" + port;
        }
    }

    /** A link, numbered from 0 in Mininet's order; params never null. */
    public record Link(int index, Port a, Port b, LinkParams params) {
        public boolean isSwitchToSwitch() {
            return !a.host() && !b.host();
        }

        public boolean joins(String x, String y) {
            return (a.node().equals(x) && b.node().equals(y)) || (a.node().equals(y) && b.node().equals(x));
        }

        /** Stable id made of the two interface names, e.g. h1-eth0~s1-eth1. */
        public String id() {
            return a.interfaceName() + "~" + b.interfaceName();
        }
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hostByName.get(name));
    }

    public Optional<Switch> switchNamed(String name) {
        return Optional.ofNullable(switchByName.get(name));
    }

    public boolean isHost(String name) {
        return hostByName.containsKey(name);
    }

    /** The links {@code node} is an end of, each once, in link order; empty for an unknown or unlinked node. */
    public List<Link> linksOf(String node) {
        return Collections.unmodifiableList(linksByNode.getOrDefault(node, List.of()));
    }

    /** The link ends on {@code node} (its interfaces), in link order; empty for an unknown or unlinked node. */
    public List<Port> ports(String node) {
        return Collections.unmodifiableList(portsByNode.getOrDefault(node, List.of()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopologyGraph g && hosts.equals(g.hosts) && switches.equals(g.switches) && links.equals(g.links);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hosts, switches, links);
    }

    @Override
    public String toString() {
        return "TopologyGraph[hosts=" + hosts + ", switches=" + switches + ", links=" + links + "]";
    }
}
