package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.AddrAdd;
import io.nfvlab.agent.kernel.Action.AddrDel;
import io.nfvlab.agent.kernel.Action.LinkDel;
import io.nfvlab.agent.kernel.Action.LinkSet;
import io.nfvlab.agent.kernel.Action.MarkSet;
import io.nfvlab.agent.kernel.Action.NeighSet;
import io.nfvlab.agent.kernel.Action.RouteDefault;
import io.nfvlab.agent.kernel.Action.RouteDefaultVia;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.Observed;
import io.nfvlab.agent.kernel.linux.Rtnetlink.Message;
import io.nfvlab.agent.kernel.linux.Rtnetlink.Request;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a network namespace (the node's or a host's) over rtnetlink — interfaces with their kind, bridge and VXLAN
 * attributes, counters and IPv4 addresses, the default route, permanent ARP entries — and configures a host's:
 * link state, MAC, MTU, alias, addresses, default route, static ARP. What {@code ip -d -s addr show} and
 * {@code ip -n NS -batch} did, without a process.
 */
final class NetlinkNamespace {
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int IFF_UP = 0x1;
    private static final int IFF_LOWER_UP = 0x10000;
    private static final int IFLA_OPERSTATE = 16;
    private static final int IF_OPER_UP = 6;
    private static final int IFLA_ADDRESS = 1;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_MTU = 4;
    private static final int IFLA_MASTER = 10;
    private static final int IFLA_LINKINFO = 18;
    private static final int IFLA_IFALIAS = 20;
    private static final int IFLA_STATS64 = 23;
    private static final int IFLA_GROUP = 27;
    private static final int IFLA_AF_SPEC = 26;
    private static final int NLA_F_NESTED = 0x8000;
    private static final int AF_INET6 = 10;
    private static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    private static final int IFLA_INET6_CONF = 2;
    private static final int DEVCONF_DISABLE_IPV6 = 26;
    private static final byte IN6_ADDR_GEN_MODE_NONE = 1;
    private static final int IFLA_INFO_KIND = 1;
    private static final int IFLA_INFO_DATA = 2;
    private static final int IFLA_BR_STP_STATE = 5;
    private static final int IFLA_VXLAN_ID = 1;
    private static final int IFLA_VXLAN_GROUP = 2;
    private static final int IFLA_VXLAN_LOCAL = 4;
    private static final int IFLA_VXLAN_PORT = 15;
    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RTA_TABLE = 15;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTPROT_BOOT = 3;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RT_SCOPE_LINK = 253;
    private static final int RTN_UNICAST = 1;
    private static final int NDA_DST = 1;
    private static final int NDA_LLADDR = 2;
    private static final int NUD_PERMANENT = 0x80;
    private static final int TCA_KIND = 1;
    /** tcmsg.tcm_parent of a device's root qdisc ({@code tc} prints "root"). */
    private static final int TC_H_ROOT = 0xFFFFFFFF;

    private NetlinkNamespace() {
    }

    /** Applies {@code actions} in {@code netns} in their order; deletions of what is already gone are not failures. */
    static BatchResult apply(String netns, List<Action> actions) {
        try (Rtnetlink nl = Rtnetlink.open(netns)) {
            Links links = links(nl);
            Map<String, Integer> index = links.index();
            List<Request> requests = new ArrayList<>();
            List<Action> sent = new ArrayList<>();
            List<BatchResult.Failure> failures = new ArrayList<>();
            for (Action a : actions) {
                try {
                    if (a instanceof LinkSet x && Boolean.TRUE.equals(x.up()) && !links.ipv6Off().contains(index(index, x.device()))) {
                        requests.add(noAutomaticIpv6(index(index, x.device())));
                        sent.add(a);
                    }
                    requests.add(request(a, index));
                    sent.add(a);
                } catch (IllegalArgumentException e) {
                    failures.add(new BatchResult.Failure(a, e.getMessage()));
                }
            }
            List<String> answers = nl.execute(requests);
            Map<Action, String> failed = new java.util.LinkedHashMap<>();
            for (int i = 0; i < sent.size(); i++) {
                Action a = sent.get(i);
                String error = answers.get(i);
                if (error != null && !(a instanceof LinkDel || a instanceof AddrDel)) {
                    failed.putIfAbsent(a, describe(a) + " in " + netns + ": " + error);
                }
            }
            failed.forEach((a, m) -> failures.add(new BatchResult.Failure(a, m)));
            return new BatchResult(failures);
        } catch (IOException e) {
            return BatchResult.allFailed(actions, e.getMessage());
        }
    }

    /**
     * The namespace as {@code ip -d -s addr show}, {@code route show default} and permanent neighbours describe it,
     * without qdiscs; {@code netns} null: the calling thread's own, reported under {@code name}.
     */
    static Observed.Namespace observe(String netns, String name) throws IOException {
        return observe(netns, name, false);
    }

    /**
     * As {@link #observe(String, String)}, with {@code withQdiscs} also each device's root qdisc kind and the devices
     * with a clsact qdisc — what {@code tc -j qdisc show} lists (roots: {@code "root": true}; clsact by its kind), read
     * over the same socket instead of a {@code tc} process per namespace.
     */
    static Observed.Namespace observe(String netns, String name, boolean withQdiscs) throws IOException {
        try (Rtnetlink nl = Rtnetlink.open(netns)) {
            Map<Integer, LinkRow> links = new TreeMap<>();
            nl.dump(Rtnetlink.RTM_GETLINK, new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0),
                    p -> links.put(p.getInt(4), link(p)));
            Map<Integer, Set<String>> addrs = new HashMap<>();
            nl.dump(Rtnetlink.RTM_GETADDR, new Message().u8(AF_INET).u8(0).u8(0).u8(0).u32(0), p -> {
                int prefix = p.get(1) & 0xff;
                int ifindex = p.getInt(4);
                String[] local = new String[2];
                Rtnetlink.attributes(p, 8, (type, v) -> {
                    if (type == IFA_LOCAL) local[0] = ipv4(v);
                    if (type == IFA_ADDRESS) local[1] = ipv4(v);
                });
                String a = local[0] != null ? local[0] : local[1];
                if (a != null) {
                    addrs.computeIfAbsent(ifindex, k -> new HashSet<>()).add(a + "/" + prefix);
                }
            });
            int[] defaultOif = {0};
            nl.dump(Rtnetlink.RTM_GETROUTE, new Message().u8(AF_INET).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0), p -> {
                int dstLen = p.get(1) & 0xff;
                int[] table = {p.get(4) & 0xff};
                int[] oif = {0};
                Rtnetlink.attributes(p, 12, (type, v) -> {
                    if (type == RTA_TABLE) table[0] = v.getInt(0);
                    if (type == RTA_OIF) oif[0] = v.getInt(0);
                });
                if (dstLen == 0 && table[0] == RT_TABLE_MAIN && (p.get(7) & 0xff) == RTN_UNICAST) {
                    defaultOif[0] = oif[0];
                }
            });
            Set<Observed.Neigh> neighbours = new HashSet<>();
            nl.dump(Rtnetlink.RTM_GETNEIGH, new Message().u8(AF_INET).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0), p -> {
                int ifindex = p.getInt(4);
                int state = p.getShort(8) & 0xffff;
                if ((state & NUD_PERMANENT) == 0) {
                    return;
                }
                String[] dst = new String[2];
                Rtnetlink.attributes(p, 12, (type, v) -> {
                    if (type == NDA_DST && v.remaining() == 4) dst[0] = ipv4(v);
                    if (type == NDA_LLADDR) dst[1] = mac(v);
                });
                LinkRow dev = links.get(ifindex);
                if (dst[0] != null && dst[1] != null && dev != null) {
                    neighbours.add(new Observed.Neigh(dev.name, dst[0], dst[1]));
                }
            });
            Map<String, String> roots = new TreeMap<>();
            Set<String> clsact = new HashSet<>();
            if (withQdiscs) {
                nl.dump(Rtnetlink.RTM_GETQDISC, new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0).u32(0), p -> {
                    LinkRow dev = links.get(p.getInt(4));
                    String[] kind = new String[1];
                    Rtnetlink.attributes(p, 20, (type, v) -> {
                        if (type == TCA_KIND) kind[0] = Rtnetlink.string(v);
                    });
                    if (dev == null || kind[0] == null) {
                        return;
                    }
                    if (p.getInt(12) == TC_H_ROOT) {
                        roots.put(dev.name, kind[0]);
                    } else if ("clsact".equals(kind[0])) {
                        clsact.add(dev.name);
                    }
                });
            }
            Map<String, Observed.Interface> interfaces = interfaces(links, addrs);
            LinkRow route = links.get(defaultOif[0]);
            return new Observed.Namespace(name, interfaces, roots, clsact, route == null ? null : route.name, neighbours);
        }
    }

    /** The namespace's interfaces as {@link #observe} reads them, from its link dump alone (no addresses, routes or neighbours). */
    static Observed.Namespace observeLinks(String netns, String name) throws IOException {
        try (Rtnetlink nl = Rtnetlink.open(netns)) {
            Map<Integer, LinkRow> links = new TreeMap<>();
            nl.dump(Rtnetlink.RTM_GETLINK, new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0),
                    p -> links.put(p.getInt(4), link(p)));
            return new Observed.Namespace(name, interfaces(links, Map.of()), Map.of(), Set.of(), null, Set.of());
        }
    }

    /**
     * The veth devices of the namespace that are up with a carrier ({@code IFF_LOWER_UP}, set as the carrier changes)
     * but not yet operationally up (IFLA_OPERSTATE, set by the kernel's link-watch work): {@code ip -o link} shows
     * them as {@code <…,UP,LOWER_UP> … state UNKNOWN} or {@code state DOWN} while it shows the rest {@code state UP}.
     */
    static int vethsAwaitingService(String netns) throws IOException {
        try (Rtnetlink nl = Rtnetlink.open(netns)) {
            int[] waiting = {0};
            nl.dump(Rtnetlink.RTM_GETLINK, new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0), p -> {
                if (awaitingService(p)) {
                    waiting[0]++;
                }
            });
            return waiting[0];
        }
    }

    /** Whether one RTM_NEWLINK message is of a veth up with a carrier whose operational state is not yet UP. */
    static boolean awaitingService(ByteBuffer p) {
        int flags = p.getInt(8);
        if ((flags & IFF_UP) == 0 || (flags & IFF_LOWER_UP) == 0) {
            return false;
        }
        int[] operstate = {-1};
        boolean[] veth = {false};
        Rtnetlink.attributes(p, 16, (type, v) -> {
            if (type == IFLA_OPERSTATE && v.remaining() >= 1) {
                operstate[0] = Byte.toUnsignedInt(v.get(0));
            } else if (type == IFLA_LINKINFO) {
                Rtnetlink.attributes(v, 0, (itype, iv) -> {
                    if (itype == IFLA_INFO_KIND && "veth".equals(Rtnetlink.string(iv))) {
                        veth[0] = true;
                    }
                });
            }
        });
        return veth[0] && operstate[0] != IF_OPER_UP;
    }

    private static Map<String, Observed.Interface> interfaces(Map<Integer, LinkRow> links, Map<Integer, Set<String>> addrs) {
        Map<String, Observed.Interface> interfaces = new TreeMap<>();
        for (Map.Entry<Integer, LinkRow> e : links.entrySet()) {
            LinkRow l = e.getValue();
            LinkRow master = l.master == 0 ? null : links.get(l.master);
            interfaces.put(l.name, new Observed.Interface(l.name, l.kind, l.alias, l.mtu, l.up,
                    master == null ? null : master.name, l.mac, addrs.getOrDefault(e.getKey(), Set.of()), l.stp,
                    l.vxlan, l.counters, l.group));
        }
        return interfaces;
    }

    private static final class LinkRow {
        String name;
        String kind;
        String alias;
        String mac;
        int mtu;
        boolean up;
        int master;
        int group;
        Boolean stp;
        Observed.Vxlan vxlan;
        Observed.Counters counters;
    }

    private static LinkRow link(ByteBuffer p) {
        LinkRow l = new LinkRow();
        l.up = (p.getInt(8) & IFF_UP) != 0;
        int[] vx = {-1, 0};
        String[] vxAddr = new String[2];
        Rtnetlink.attributes(p, 16, (type, v) -> {
            switch (type) {
                case IFLA_IFNAME -> l.name = Rtnetlink.string(v);
                case IFLA_MTU -> l.mtu = v.getInt(0);
                case IFLA_IFALIAS -> l.alias = emptyToNull(Rtnetlink.string(v));
                case IFLA_ADDRESS -> l.mac = v.remaining() == 6 ? mac(v) : null;
                case IFLA_MASTER -> l.master = v.getInt(0);
                case IFLA_GROUP -> l.group = v.getInt(0);
                case IFLA_STATS64 -> {
                    if (v.remaining() >= 64) {
                        // rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped
                        l.counters = new Observed.Counters(v.getLong(16), v.getLong(0), v.getLong(48),
                                v.getLong(24), v.getLong(8), v.getLong(56));
                    }
                }
                case IFLA_LINKINFO -> Rtnetlink.attributes(v, 0, (itype, iv) -> {
                    if (itype == IFLA_INFO_KIND) {
                        l.kind = Rtnetlink.string(iv);
                    } else if (itype == IFLA_INFO_DATA) {
                        Rtnetlink.attributes(iv, 0, (dtype, dv) -> {
                            if ("bridge".equals(l.kind) && dtype == IFLA_BR_STP_STATE) l.stp = dv.getInt(0) != 0;
                            if ("vxlan".equals(l.kind)) {
                                if (dtype == IFLA_VXLAN_ID) vx[0] = dv.getInt(0);
                                if (dtype == IFLA_VXLAN_PORT) vx[1] = Short.toUnsignedInt(Short.reverseBytes(dv.getShort(0)));
                                if (dtype == IFLA_VXLAN_GROUP && dv.remaining() == 4) vxAddr[1] = ipv4(dv);
                                if (dtype == IFLA_VXLAN_LOCAL && dv.remaining() == 4) vxAddr[0] = ipv4(dv);
                            }
                        });
                    }
                });
                default -> {
                }
            }
        });
        if ("vxlan".equals(l.kind) && vx[0] >= 0) {
            l.vxlan = new Observed.Vxlan(vx[0], vxAddr[0], vxAddr[1], vx[1]);
        }
        return l;
    }

    /**
     * A namespace's devices by name, and those with IPv6 off ({@code disable_ipv6}, as in a switch namespace): these
     * get no automatic address, so asking for none is one more rtnetlink request for nothing. It was 10,100 of them
     * on the 10,000-host tree, each with a change notification that scans the switch namespace's peer ids.
     */
    private record Links(Map<String, Integer> index, Set<Integer> ipv6Off) {
    }

    private static Links links(Rtnetlink nl) throws IOException {
        Map<String, Integer> index = new HashMap<>();
        Set<Integer> ipv6Off = new HashSet<>();
        nl.dump(Rtnetlink.RTM_GETLINK, new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0), p -> {
            int ifindex = p.getInt(4);
            Rtnetlink.attributes(p, 16, (type, v) -> {
                if (type == IFLA_IFNAME) {
                    index.put(Rtnetlink.string(v), ifindex);
                } else if (type == IFLA_AF_SPEC && ipv6Disabled(v)) {
                    ipv6Off.add(ifindex);
                }
            });
        });
        return new Links(index, ipv6Off);
    }

    /** Whether a link's IFLA_AF_SPEC says {@code disable_ipv6} (IFLA_INET6_CONF is the device's devconf, an s32 each). */
    private static boolean ipv6Disabled(java.nio.ByteBuffer afSpec) {
        boolean[] off = {false};
        Rtnetlink.attributes(afSpec, 0, (family, f) -> {
            if (family == AF_INET6) {
                Rtnetlink.attributes(f, 0, (type, conf) -> {
                    if (type == IFLA_INET6_CONF && conf.remaining() >= 4 * (DEVCONF_DISABLE_IPV6 + 1)) {
                        off[0] = conf.getInt(4 * DEVCONF_DISABLE_IPV6) != 0;
                    }
                });
            }
        });
        return off[0];
    }

    private static Request request(Action a, Map<String, Integer> index) {
        if (a instanceof LinkSet x) {
            int flags = x.up() == null ? 0 : (x.up() ? IFF_UP : 0);
            int change = x.up() == null ? 0 : IFF_UP;
            Message m = new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(index(index, x.device())).u32(flags).u32(change);
            if (x.mac() != null) m.attr(IFLA_ADDRESS, macBytes(x.mac()));
            if (x.mtu() != null) m.attrU32(IFLA_MTU, x.mtu());
            if (x.master() != null) m.attrU32(IFLA_MASTER, x.master().isEmpty() ? 0 : index(index, x.master()));
            if (x.alias() != null) m.attrString(IFLA_IFALIAS, x.alias());
            return new Request(Rtnetlink.RTM_NEWLINK, 0, m);
        }
        if (a instanceof MarkSet x) {
            return new Request(Rtnetlink.RTM_NEWLINK, 0, new Message().u8(AF_UNSPEC).u8(0).u16(0)
                    .u32(index(index, x.device())).u32(0).u32(0).attrString(IFLA_IFALIAS, x.alias()));
        }
        if (a instanceof LinkDel x) {
            // by name: an index of a device already gone would be refused before the kernel is asked
            return new Request(Rtnetlink.RTM_DELLINK, 0, new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
                    .attrString(IFLA_IFNAME, x.device()));
        }
        if (a instanceof AddrAdd x) {
            return address(Rtnetlink.RTM_NEWADDR, Rtnetlink.NLM_F_CREATE | Rtnetlink.NLM_F_EXCL, x.cidr(), index(index, x.device()));
        }
        if (a instanceof AddrDel x) {
            return address(Rtnetlink.RTM_DELADDR, 0, x.cidr(), index.getOrDefault(x.device(), 0));
        }
        if (a instanceof RouteDefault x) {
            Message m = new Message().u8(AF_INET).u8(0).u8(0).u8(0).u8(RT_TABLE_MAIN).u8(RTPROT_BOOT).u8(RT_SCOPE_LINK)
                    .u8(RTN_UNICAST).u32(0).attrU32(RTA_TABLE, RT_TABLE_MAIN).attrU32(RTA_OIF, index(index, x.device()));
            return new Request(Rtnetlink.RTM_NEWROUTE, Rtnetlink.NLM_F_CREATE | Rtnetlink.NLM_F_REPLACE, m);
        }
        if (a instanceof RouteDefaultVia x) {
            Message m = new Message().u8(AF_INET).u8(0).u8(0).u8(0).u8(RT_TABLE_MAIN).u8(RTPROT_BOOT).u8(RT_SCOPE_UNIVERSE)
                    .u8(RTN_UNICAST).u32(0).attrU32(RTA_TABLE, RT_TABLE_MAIN).attrU32(RTA_OIF, index(index, x.device()))
                    .attr(RTA_GATEWAY, ipv4Bytes(x.gateway()));
            return new Request(Rtnetlink.RTM_NEWROUTE, Rtnetlink.NLM_F_CREATE | Rtnetlink.NLM_F_REPLACE, m);
        }
        if (a instanceof NeighSet x) {
            Message m = new Message().u8(AF_INET).u8(0).u16(0).u32(index(index, x.device())).u16(NUD_PERMANENT).u8(0).u8(0)
                    .attr(NDA_DST, ipv4Bytes(x.address())).attr(NDA_LLADDR, macBytes(x.mac()));
            return new Request(Rtnetlink.RTM_NEWNEIGH, Rtnetlink.NLM_F_CREATE | Rtnetlink.NLM_F_REPLACE, m);
        }
        throw new IllegalArgumentException("not a host namespace action: " + a.type());
    }

    /**
     * {@code ip link set DEV addrgenmode none}, sent before the device first goes up: hosts are addressed with IPv4,
     * and an automatic IPv6 link-local address per interface starts duplicate-address detection, router
     * solicitations and MLD reports that every bridge floods to every host — with a thousand hosts, seconds of CPU.
     */
    private static Request noAutomaticIpv6(int ifindex) {
        Message inet6 = new Message().attr(IFLA_INET6_ADDR_GEN_MODE, new byte[]{IN6_ADDR_GEN_MODE_NONE});
        Message spec = new Message().attr(AF_INET6, inet6.bytes());
        return new Request(Rtnetlink.RTM_NEWLINK, 0, new Message().u8(AF_UNSPEC).u8(0).u16(0).u32(ifindex).u32(0).u32(0)
                .attr(IFLA_AF_SPEC | NLA_F_NESTED, spec.bytes()));
    }

    private static Request address(short type, int flags, String cidr, int ifindex) {
        int slash = cidr.indexOf('/');
        byte[] addr = ipv4Bytes(slash < 0 ? cidr : cidr.substring(0, slash));
        int prefix = 32;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("invalid prefix length in '" + cidr + "'");
            }
        }
        Message m = new Message().u8(AF_INET).u8(prefix).u8(0).u8(RT_SCOPE_UNIVERSE).u32(ifindex)
                .attr(IFA_LOCAL, addr).attr(IFA_ADDRESS, addr);
        return new Request(type, flags, m);
    }

    private static int index(Map<String, Integer> index, String device) {
        Integer i = index.get(device);
        if (i == null) {
            throw new IllegalArgumentException("no device " + device);
        }
        return i;
    }

    static byte[] ipv4Bytes(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            out[i] = (byte) Integer.parseInt(parts[i]);
        }
        return out;
    }

    static byte[] macBytes(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address");
        }
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (!parts[i].matches("[0-9A-Fa-f]{2}")) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address");
            }
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static String ipv4(ByteBuffer v) {
        return (v.get(0) & 0xff) + "." + (v.get(1) & 0xff) + "." + (v.get(2) & 0xff) + "." + (v.get(3) & 0xff);
    }

    private static String mac(ByteBuffer v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < v.remaining(); i++) {
            if (i > 0) s.append(':');
            s.append(String.format("%02x", v.get(i) & 0xff));
        }
        return s.toString();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String describe(Action a) {
        if (a instanceof LinkSet x) return "link set " + x.device();
        if (a instanceof MarkSet x) return "link set " + x.device() + " alias";
        if (a instanceof AddrAdd x) return "addr add " + x.cidr() + " dev " + x.device();
        if (a instanceof RouteDefault x) return "route replace default dev " + x.device();
        if (a instanceof RouteDefaultVia x) return "route replace default via " + x.gateway() + " dev " + x.device();
        if (a instanceof NeighSet x) return "neigh replace " + x.address() + " dev " + x.device();
        return a.type();
    }
}
