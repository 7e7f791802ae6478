package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.LinkShaping;
import io.nfvlab.agent.kernel.shaping.RelayKey;

import java.util.Map;

/**
 * One change to the kernel or to OVS, as planned by {@link Planner}. A namespace of {@code null} means the node's
 * root namespace (the real one, or the namespace standing in for the node). {@code item} names the status item an
 * error is reported against (hosts/h1, links/h1-eth0~s1-eth1, switches/s1, tunnels/…).
 */
public sealed interface Action {
    String item();

    /** The metric label: the record's simple name. */
    default String type() {
        return getClass().getSimpleName();
    }

    /** {@code ip netns add NETNS} */
    record NetnsAdd(String item, String netns) implements Action {
    }

    /** {@code ip netns del NETNS}: removes every interface in it (and the peers of its veths). */
    record NetnsDel(String item, String netns) implements Action {
    }

    /** {@code ip [-n NETNS] link add DEV type bridge stp_state 0|1; ip link set DEV alias MARK up} */
    record BridgeAdd(String item, String netns, String device, boolean stp, String alias, int group) implements Action {
    }

    /** {@code ip [-n NETNS] link set DEV type bridge stp_state 0|1} */
    record BridgeSetStp(String item, String netns, String device, boolean stp) implements Action {
    }

    /** One end of a veth pair to create: the device lands in {@code netns} (null: root) under {@code name}. */
    record End(String netns, String name, String mac, Integer mtu, int group) {
    }

    /** {@code ip link add A [netns NS] [address MAC] [mtu M] type veth peer name B [netns NS] …}, run in the root. */
    record VethAdd(String item, End a, End b) implements Action {
    }

    /**
     * {@code ip link add DEV [netns NS] [mtu M] type vxlan id VNI local L remote R dstport P}, run in the root: the
     * device may live in another namespace while its UDP socket stays in the root, where the underlay is.
     */
    record VxlanAdd(String item, String device, String netns, int vni, String local, String remote, int dstPort,
                    Integer mtu, int group) implements Action {
    }

    /**
     * {@code ip link del group G}: every root-namespace device of one owner at once (one unregister batch instead
     * of one RCU grace period per device). Planned only when every device in the group carries this owner's mark.
     */
    record LinkGroupDel(String item, int group) implements Action {
    }

    /** {@code ip link del DEV} in {@code netns}. */
    record LinkDel(String item, String netns, String device) implements Action {
    }

    /**
     * {@code ip link set DEV [address MAC] [mtu M] [master BR|nomaster] [alias A] [up|down]}; null fields stay as
     * they are; master "" means nomaster.
     */
    record LinkSet(String item, String netns, String device, String alias, Integer mtu, Boolean up, String master,
                   String mac) implements Action {
    }

    /** The final ownership mark of a root-namespace end, written after its qdiscs and offloads are in place. */
    record MarkSet(String item, String netns, String device, String alias) implements Action {
    }

    /** {@code ip addr add CIDR dev DEV} */
    record AddrAdd(String item, String netns, String device, String cidr) implements Action {
    }

    /** {@code ip addr del CIDR dev DEV} */
    record AddrDel(String item, String netns, String device, String cidr) implements Action {
    }

    /** {@code ip route replace default dev DEV} */
    record RouteDefault(String item, String netns, String device) implements Action {
    }

    /** {@code ip route replace default via GATEWAY dev DEV} (Mininet's {@code defaultRoute='via …'}) */
    record RouteDefaultVia(String item, String netns, String device, String gateway) implements Action {
    }

    /** {@code ip neigh replace ADDR lladdr MAC dev DEV nud permanent} */
    record NeighSet(String item, String netns, String device, String address, String mac) implements Action {
    }

    /**
     * {@code tc qdisc del dev DEV root; tc qdisc del dev DEV clsact} then the qdiscs and filter {@code shaping} puts on
     * an end ({@link LinkShaping#tcSet}: tbf for the rate, pfifo for a queue limit, a clsact BPF filter for loss).
     */
    record QdiscSet(String item, String netns, String device, LinkShaping shaping) implements Action {
    }

    /** {@code tc qdisc del dev DEV root; tc qdisc del dev DEV clsact} */
    record QdiscClear(String item, String netns, String device) implements Action {
    }

    /** {@code ethtool -K DEV tx off}: TCP through the OVS netdev datapath needs it (PLATFORM.md). */
    record OffloadOff(String item, String netns, String device) implements Action {
    }

    /**
     * Starts (or restarts with new parameters) the delay line of a link: frames received on {@code deviceA} leave on
     * {@code deviceB} as {@code line} says, and the other way round (see {@link LinkShaping}).
     */
    record RelayStart(String item, RelayKey key, String netns, String deviceA, String deviceB, DelayLine line)
            implements Action {
    }

    /** Stops a link's delay line (its devices go with the link's veths). */
    record RelayStop(String item, RelayKey key) implements Action {
    }

    /** {@code ovs-vsctl add-br BR -- set Bridge BR datapath_type=netdev fail_mode=standalone external_ids:…} */
    record OvsBridgeAdd(String item, String bridge, Map<String, String> externalIds, boolean stp,
                        String controller) implements Action {
    }

    /** {@code ovs-vsctl set Bridge BR stp_enable=… -- set-controller|del-controller BR} */
    record OvsBridgeSet(String item, String bridge, boolean stp, String controller) implements Action {
    }

    record OvsBridgeDel(String item, String bridge) implements Action {
    }

    /**
     * {@code ovs-vsctl add-port BR PORT -- set Port PORT external_ids:…}; with {@code vhostUser} also
     * {@code -- set Interface PORT type=dpdkvhostuserclient options:vhost-server-path=SOCK [mtu_request=M]}.
     */
    record OvsPortAdd(String item, String bridge, String port, Map<String, String> externalIds,
                      VhostUserClient vhostUser) implements Action {
        /** A port whose interface is the kernel device of the same name (a veth end, a VXLAN device). */
        public OvsPortAdd(String item, String bridge, String port, Map<String, String> externalIds) {
            this(item, bridge, port, externalIds, null);
        }
    }

    /** The interface of a vhost-user port: OVS connects to {@code socket}, which a DPDK application serves. */
    record VhostUserClient(String socket, Integer mtu) {
    }

    record OvsPortDel(String item, String bridge, String port) implements Action {
    }
}
