package io.nfvlab.api.expansion;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.SwitchKind;

import java.util.List;
import java.util.Optional;

/**
 * A topology expanded into Mininet's terms: hosts with addresses, switches, and links whose ends carry Mininet's
 * interface names (h1-eth0, s1-eth1), in Mininet's order.
 */
public record TopologyGraph(List<Host> hosts, List<Switch> switches, List<Link> links) {

    /** A host; {@code vhostUser}: a DPDK application's vhost-user endpoint on its ovs-dpdk switches, no namespace. */
    public record Host(String name, String ip, String mac, String node, String defaultRoute, boolean vhostUser) {
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
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
    }

    public Optional<Switch> switchNamed(String name) {
        return switches.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public boolean isHost(String name) {
        return host(name).isPresent();
    }
}
