package io.nfvlab.api.expansion;

import io.nfvlab.api.expansion.builtins.Args;
import io.nfvlab.api.expansion.builtins.BuiltinTopo;
import io.nfvlab.api.expansion.builtins.GraphBuilder;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands a VirtualTopology spec into a {@link TopologyGraph} with Mininet's semantics: the built-ins build their
 * hosts, switches and links in the order Mininet's topo classes call addHost/addSwitch/addLink, so port numbers and
 * interface names match Mininet's ({@code h1-eth0}, {@code s1-eth1}); addresses and MACs are assigned like Mininet's
 * {@code --ipbase} and {@code --mac}: host number N (in natural name order) gets the N-th address of ipBase.
 * Expects a spec that passed {@code TopologyValidator}; what it still cannot expand raises {@link TopologyException}.
 */
public final class TopologyExpander {
    private TopologyExpander() {
    }

    /** Expands {@code spec} as if it named no LinkProfiles (their values are left out). */
    public static TopologyGraph expand(VirtualTopologySpec spec) {
        return expand(spec, LinkProfiles.none());
    }

    /** Expands {@code spec}, giving its links the values of the LinkProfiles they name, found in {@code profiles}. */
    public static TopologyGraph expand(VirtualTopologySpec spec, LinkProfiles profiles) {
        Builder b = new Builder(spec.getSwitchKind() == null ? SwitchKind.LINUX_BRIDGE : spec.getSwitchKind(),
                spec.getBridgeRef(), spec.getTopology() == null ? null : spec.getTopology().getHostPod());
        if (spec.getTopology() != null) {
            buildBuiltin(b, BuiltinSpec.of(spec.getTopology()));
        } else {
            for (HostSpec h : spec.hostsOrEmpty()) {
                b.host(h.getName(), h);
            }
            for (SwitchSpec s : spec.switchesOrEmpty()) {
                b.explicitSwitch(s);
            }
            for (LinkSpec l : spec.linksOrEmpty()) {
                b.link(l.getA(), l.getB(), l);
                b.profilesOf.put(b.links.size() - 1, l.getProfiles());
            }
        }
        return b.finish(spec, profiles);
    }

    /** Expands just a built-in (for the CLI's --topo and for tests). */
    public static TopologyGraph expand(String mininetTopo) {
        return expand(VirtualTopologySpec.builder()
                .topology(io.nfvlab.api.topology.BuiltinTopology.builder().type(mininetTopo).build()).build());
    }

    private static void buildBuiltin(Builder b, BuiltinSpec spec) {
        BuiltinTopo topo = spec.topo();
        Args args = spec.args();
        topo.refusal(args).ifPresent(reason -> {
            throw new TopologyException("spec.topology", reason);
        });
        topo.build(b, args);
    }

    /** Collects nodes and links in creation order and numbers ports the way Mininet's Topo.addPort does. */
    private static final class Builder implements GraphBuilder {
        private final SwitchKind defaultKind;
        private final String builtinBridgeRef;
        private final io.nfvlab.api.topology.PodHostSpec builtinHostPod;
        private final Map<String, HostSpec> hosts = new LinkedHashMap<>();
        private final Map<String, TopologyGraph.Switch> switches = new LinkedHashMap<>();
        private final Map<String, Integer> nextPort = new HashMap<>();
        private final List<TopologyGraph.Link> links = new ArrayList<>();
        /** The profiles each explicit link names, by link index (copyParams keeps only the parameters). */
        private final Map<Integer, List<String>> profilesOf = new HashMap<>();

        Builder(SwitchKind defaultKind, String builtinBridgeRef, io.nfvlab.api.topology.PodHostSpec builtinHostPod) {
            this.defaultKind = defaultKind;
            this.builtinBridgeRef = builtinBridgeRef;
            this.builtinHostPod = builtinHostPod;
        }

        @Override
        public void host(String name) {
            host(name, HostSpec.builder().name(name).pod(builtinHostPod).build());
        }

        void host(String name, HostSpec spec) {
            if (hosts.containsKey(name) || switches.containsKey(name)) {
                throw new TopologyException("spec.hosts", "duplicate node name " + name);
            }
            hosts.put(name, spec);
        }

        @Override
        public void builtinSwitch(String name, boolean stp) {
            // loops (torus) need STP on Linux bridges; OVS in standalone mode needs it too
            switches.put(name, new TopologyGraph.Switch(name, defaultKind, stp,
                    defaultKind == SwitchKind.OVS_DPDK ? builtinBridgeRef : null, null, null));
        }

        void explicitSwitch(SwitchSpec s) {
            if (hosts.containsKey(s.getName()) || switches.containsKey(s.getName())) {
                throw new TopologyException("spec.switches", "duplicate node name " + s.getName());
            }
            SwitchKind kind = s.getKind() == null ? defaultKind : s.getKind();
            // the spec-level bridgeRef is the default DpdkBridge of ovs-dpdk switches that name none
            String bridgeRef = s.getBridgeRef() != null || kind != SwitchKind.OVS_DPDK ? s.getBridgeRef() : builtinBridgeRef;
            switches.put(s.getName(), new TopologyGraph.Switch(s.getName(), kind, Boolean.TRUE.equals(s.getStp()),
                    bridgeRef, s.getController(), s.getNode()));
        }

        @Override
        public void link(String a, String b) {
            linkOnPorts(a, -1, b, -1, null);
        }

        void link(String a, String b, LinkParams params) {
            linkOnPorts(a, -1, b, -1, params);
        }

        @Override
        public void linkOnPorts(String a, int portA, String b, int portB) {
            linkOnPorts(a, portA, b, portB, null);
        }

        private void linkOnPorts(String a, int portA, String b, int portB, LinkParams params) {
            TopologyGraph.Port pa = port(a, portA);
            TopologyGraph.Port pb = port(b, portB);
            links.add(new TopologyGraph.Link(links.size(), pa, pb, LinkParams.copyParams(params)));
        }

        private TopologyGraph.Port port(String node, int requested) {
            boolean isHost = hosts.containsKey(node);
            if (!isHost && !switches.containsKey(node)) {
                throw new TopologyException("spec.links", "unknown node " + node);
            }
            // Mininet numbers host ports from 0 and switch ports from 1; a container's links start at eth1 (its eth0 is
            // the runtime's own), as containerlab and KNE name them
            int base = isHost && !hosts.get(node).isPodHost() ? 0 : 1;
            int port = requested >= 0 ? requested : Math.max(nextPort.getOrDefault(node, base), base);
            nextPort.put(node, Math.max(nextPort.getOrDefault(node, base), port + 1));
            return new TopologyGraph.Port(node, node + "-eth" + port, port, isHost);
        }

        TopologyGraph finish(VirtualTopologySpec spec, LinkProfiles profiles) {
            Ipv4Block block = Ipv4Block.parse(spec.getIpBase() == null ? "10.0.0.0/8" : spec.getIpBase(), "spec.ipBase");
            List<String> ordered = new ArrayList<>(hosts.keySet());
            ordered.sort(NaturalOrder.INSTANCE);
            Map<String, Integer> number = new HashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                number.put(ordered.get(i), i + 1);
            }
            boolean autoMac = Boolean.TRUE.equals(spec.getAutoMac());
            List<TopologyGraph.Host> graphHosts = new ArrayList<>();
            for (String name : ordered) {
                HostSpec h = hosts.get(name);
                int n = number.get(name);
                String ip = h.getIp() == null ? block.addressWithPrefix(n, "spec.hosts[" + name + "].ip")
                        : (h.getIp().contains("/") ? h.getIp() : h.getIp() + "/" + block.prefixLength());
                String mac = h.getMac() != null ? h.getMac().toLowerCase() : autoMac ? macOf(n) : null;
                graphHosts.add(new TopologyGraph.Host(name, ip, mac, h.getNode(), h.getDefaultRoute(), h.isVhostUserHost(), h.getPod()));
            }
            // overrides by the unordered pair of nodes they address, in spec order (a later one wins)
            Map<String, List<LinkSpec>> overrides = new HashMap<>();
            for (LinkSpec o : spec.linkOverridesOrEmpty()) {
                overrides.computeIfAbsent(pairKey(o.getA(), o.getB()), k -> new ArrayList<>()).add(o);
            }
            // precedence, lowest first: defaults' profiles, defaults, link's profiles, link, each override's profiles, override
            LinkParams defaults = spec.getLinkDefaults() == null ? null : LinkParams.copyParams(spec.getLinkDefaults())
                    .withDefaults(profiles.merged(spec.getLinkDefaults().getProfiles()));
            List<TopologyGraph.Link> finalLinks = new ArrayList<>();
            for (TopologyGraph.Link l : links) {
                LinkParams params = l.params().withDefaults(profiles.merged(profilesOf.get(l.index())));
                for (LinkSpec o : overrides.getOrDefault(pairKey(l.a().node(), l.b().node()), List.of())) {
                    params = LinkParams.copyParams(o).withDefaults(profiles.merged(o.getProfiles())).withDefaults(params);
                }
                finalLinks.add(new TopologyGraph.Link(l.index(), l.a(), l.b(), params.withDefaults(defaults)));
            }
            List<TopologyGraph.Switch> sws = new ArrayList<>(switches.values());
            return new TopologyGraph(List.copyOf(graphHosts), List.copyOf(sws), List.copyOf(finalLinks));
        }
    }

    /** The same key for (a, b) and (b, a). */
    public static String pairKey(String a, String b) {
        return a == null || b == null ? a + "\u0000" + b : a.compareTo(b) <= 0 ? a + "\u0000" + b : b + "\u0000" + a;
    }

    /** Mininet's macColonHex: the host number as the low bytes of the MAC. */
    static String macOf(long n) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", (n >> shift) & 0xff));
        }
        return sb.toString();
    }

    /** Mininet's natural sort: digit runs compare as numbers (h2 before h10). */
    enum NaturalOrder implements Comparator<String> {
        INSTANCE;

        @Override
        public int compare(String x, String y) {
            int i = 0;
            int j = 0;
            while (i < x.length() && j < y.length()) {
                char cx = x.charAt(i);
                char cy = y.charAt(j);
                if (Character.isDigit(cx) && Character.isDigit(cy)) {
                    int si = i;
                    int sj = j;
                    while (i < x.length() && Character.isDigit(x.charAt(i))) i++;
                    while (j < y.length() && Character.isDigit(y.charAt(j))) j++;
                    int c = compareNumbers(x, si, i, y, sj, j);
                    if (c != 0) {
                        return c;
                    }
                } else {
                    if (cx != cy) {
                        return Character.compare(cx, cy);
                    }
                    i++;
                    j++;
                }
            }
            return Integer.compare(x.length() - i, y.length() - j);
        }

        /**
         * Compares the digit runs x[xs, xe) and y[ys, ye) as numbers. ASCII runs (all that valid node names have) compare
         * without parsing: without leading zeros, the longer run is the larger number, and runs of one length compare
         * digit by digit. This runs for every comparison of a sort of up to 100,000 host names.
         */
        private static int compareNumbers(String x, int xs, int xe, String y, int ys, int ye) {
            if (!asciiDigits(x, xs, xe) || !asciiDigits(y, ys, ye)) {
                return new java.math.BigInteger(x.substring(xs, xe)).compareTo(new java.math.BigInteger(y.substring(ys, ye)));
            }
            while (xs < xe - 1 && x.charAt(xs) == '0') xs++;
            while (ys < ye - 1 && y.charAt(ys) == '0') ys++;
            if (xe - xs != ye - ys) {
                return Integer.compare(xe - xs, ye - ys);
            }
            for (; xs < xe; xs++, ys++) {
                if (x.charAt(xs) != y.charAt(ys)) {
                    return Character.compare(x.charAt(xs), y.charAt(ys));
                }
            }
            return 0;
        }

        private static boolean asciiDigits(String s, int from, int to) {
            for (int k = from; k < to; k++) {
                if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                    return false;
                }
            }
            return true;
        }
    }
}
