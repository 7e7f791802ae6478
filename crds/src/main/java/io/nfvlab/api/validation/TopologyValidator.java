package io.nfvlab.api.validation;

import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.DefaultRoute;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.Names;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.expansion.BuiltinSpec;
import io.nfvlab.api.expansion.Ipv4Block;
import io.nfvlab.api.expansion.LinkProfiles;
import io.nfvlab.api.topology.ProfileNames;
import io.nfvlab.api.expansion.TopologyException;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a VirtualTopology spec for what the CRD's schema and CEL rules cannot say (references between hosts,
 * switches and links, names that only become too long after expansion, addresses), and repeats the cheap schema rules
 * so that the CLI, which has no API server, rejects the same documents. Returns every problem found; an empty list
 * means the spec expands.
 */
public final class TopologyValidator {
    /**
     * Upper bound on hosts, as for explicit hosts (the schema's maxItems): the string form of a built-in bypasses the
     * schema's maxima. It is what fits: the topology's status lists every host once (a real API server stores at most
     * ~1.5 MiB per object, and 10,000 hosts take about 1.1 MiB there), and every accepted topology must plan, publish
     * and build (PlansThatFitTest publishes a 10,000-host tree with its pingall through the limits).
     */
    public static final long MAX_HOSTS = 10_000;
    /** Upper bound on hosts plus switches: linear,10000 and torus,100,100 have 20,000. */
    public static final long MAX_NODES = 20_000;

    private static final Pattern NODE_NAME = Pattern.compile(Names.NODE_NAME_PATTERN);
    private static final Pattern IPV4 = Pattern.compile("^([0-9]{1,3}\\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$");
    private static final Pattern MAC = Pattern.compile("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$");
    private static final Pattern UNICAST_MAC = Pattern.compile(Names.UNICAST_MAC_PATTERN);
    private static final Pattern CONTROLLER = Pattern.compile(SwitchSpec.CONTROLLER_PATTERN);

    private static final Pattern PROFILE_NAME = Pattern.compile(ProfileNames.NAME_PATTERN);

    private final VirtualTopologySpec spec;
    private final LinkProfiles profiles;
    private final List<Violation> out = new ArrayList<>();
    private Ipv4Block ipBase;
    private TopologyGraph expanded;

    /** What a check found: the violations, and the expanded graph when there are none (null otherwise). */
    public record Checked(List<Violation> violations, TopologyGraph graph) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private TopologyValidator(VirtualTopologySpec spec, LinkProfiles profiles) {
        this.spec = spec;
        this.profiles = profiles;
    }

    public static List<Violation> validate(VirtualTopology topology) {
        if (topology == null || topology.getSpec() == null) {
            return List.of(new Violation("spec", "is required"));
        }
        return validate(topology.getSpec());
    }

    public static List<Violation> validate(VirtualTopologySpec spec) {
        if (spec == null) {
            return List.of(new Violation("spec", "is required"));
        }
        return new TopologyValidator(spec, LinkProfiles.none()).run();
    }

    /** As {@link #validate(VirtualTopologySpec)}, keeping the graph the check expanded: a planner need not expand again. */
    public static Checked check(VirtualTopologySpec spec) {
        return check(spec, LinkProfiles.none());
    }

    /**
     * As {@link #check(VirtualTopologySpec)}, with the values of the LinkProfiles the spec names (from
     * {@link LinkProfiles#resolve}) in its links: what the graph holds, and what the link checks see. A profile that was
     * not found is no violation here (it may yet be created); the caller reports {@link LinkProfiles#missing()}.
     */
    public static Checked check(VirtualTopologySpec spec, LinkProfiles profiles) {
        if (spec == null) {
            return new Checked(List.of(new Violation("spec", "is required")), null);
        }
        TopologyValidator v = new TopologyValidator(spec, profiles);
        List<Violation> violations = v.run();
        return new Checked(violations, violations.isEmpty() ? v.expanded : null);
    }

    private List<Violation> run() {
        boolean builtin = spec.getTopology() != null;
        boolean explicit = !spec.hostsOrEmpty().isEmpty() || !spec.switchesOrEmpty().isEmpty() || !spec.linksOrEmpty().isEmpty();
        if (builtin && explicit) {
            add("spec", "a topology is either built-in (spec.topology) or explicit (spec.hosts, spec.switches, spec.links), not both");
            return out;
        }
        if (!builtin && spec.hostsOrEmpty().isEmpty()) {
            add("spec", "a topology needs either spec.topology (a built-in such as linear,4) or spec.hosts (explicit)");
            return out;
        }
        checkIpBase();
        long hostCount = builtin ? checkBuiltin() : checkExplicit();
        LinkParamsRules.check(spec.getLinkDefaults(), "spec.linkDefaults", false, out);
        checkOverrides();
        checkProfileNames();
        checkPlacement(builtin);
        if (!out.isEmpty() || hostCount < 0) {
            return out;
        }
        if (ipBase != null && hostCount > ipBase.capacity()) {
            add("spec.ipBase", spec.getIpBase() + " has room for " + ipBase.capacity() + " host addresses, the topology has "
                    + hostCount + " hosts; use a shorter prefix such as 10.0.0.0/8");
            return out;
        }
        TopologyGraph graph;
        try {
            graph = TopologyExpander.expand(spec, profiles);
        } catch (TopologyException e) {
            add(e.field(), e.reason());
            return out;
        }
        checkGraph(graph, builtin);
        expanded = graph;
        return out;
    }

    private void checkIpBase() {
        String base = spec.getIpBase() == null ? "10.0.0.0/8" : spec.getIpBase();
        if (!IPV4.matcher(base).matches() || !base.contains("/")) {
            add("spec.ipBase", "\"" + base + "\" is not an IPv4 block such as 10.0.0.0/8");
            return;
        }
        try {
            ipBase = Ipv4Block.parse(base, "spec.ipBase");
        } catch (TopologyException e) {
            add(e.field(), e.reason());
        }
    }

    /** Returns the number of hosts the built-in makes, or -1 when its parameters are wrong. */
    private long checkBuiltin() {
        BuiltinTopology t = spec.getTopology();
        if (t.getType() == null || t.getType().isBlank()) {
            add("spec.topology.type", "is required: one of " + String.join(", ", BuiltinSpec.NAMES.stream().sorted().toList()));
            return -1;
        }
        BuiltinSpec parsed;
        if (t.getType().contains(",")) {
            if (!BuiltinSpec.given(t).isEmpty()) {
                add("spec.topology", "the string form of type (\"" + t.getType()
                        + "\") carries its own parameters: do not also set k, n, depth, fanout, x or y");
                return -1;
            }
            try {
                parsed = BuiltinSpec.parse(t.getType(), "spec.topology.type");
            } catch (TopologyException e) {
                add(e.field(), e.reason());
                return -1;
            }
        } else {
            String type = t.getType().trim();
            if (!BuiltinSpec.NAMES.contains(type)) {
                add("spec.topology.type", "unknown built-in topology \"" + type + "\"; known: "
                        + String.join(", ", BuiltinSpec.NAMES.stream().sorted().toList()));
                return -1;
            }
            int before = out.size();
            BuiltinSpec.given(t).forEach((key, value) -> param(type, key, value));
            if (out.size() > before) {
                return -1;
            }
            parsed = BuiltinSpec.of(t);
        }
        // the schema's maxima, which the string form bypasses
        for (Map.Entry<String, Integer> p : parsed.params().entrySet()) {
            int max = BuiltinSpec.maximum(p.getKey());
            if (p.getValue() > max) {
                add(t.getType().contains(",") ? "spec.topology.type" : "spec.topology." + p.getKey(),
                        p.getKey() + " must be at most " + max + ", got " + p.getValue());
                return -1;
            }
        }
        Optional<String> refusal = parsed.topo().refusal(parsed.args());
        if (refusal.isPresent()) {
            add("spec.topology", refusal.get());
            return -1;
        }
        BuiltinSpec.Counts counts = parsed.counts();
        if (counts.hosts() > MAX_HOSTS || counts.switches() > MAX_NODES || counts.hosts() + counts.switches() > MAX_NODES) {
            add("spec.topology", parsed.name() + " with these parameters would have " + describe(counts.hosts()) + " hosts and "
                    + describe(counts.switches()) + " switches; nfvlab takes at most " + MAX_HOSTS + " hosts and " + MAX_NODES
                    + " hosts and switches in all");
            return -1;
        }
        if (spec.getSwitchKind() == SwitchKind.OVS_DPDK && blank(spec.getBridgeRef())) {
            add("spec.bridgeRef", "switchKind ovs-dpdk needs bridgeRef naming the DpdkBridge the switches live on");
        }
        PodHostRules.check(t.getHostPod(), "spec.topology.hostPod", true, out);
        return counts.hosts();
    }

    private static boolean validAddress(String a) {
        for (String octet : a.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String describe(long n) {
        return n == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(n);
    }

    private void param(String type, String key, Integer value) {
        if (value == null) {
            return;
        }
        List<String> accepted = BuiltinSpec.parametersOf(type);
        if (!accepted.contains(key)) {
            add("spec.topology." + key, "is not a parameter of " + type + " (it takes "
                    + (accepted.isEmpty() ? "no parameters" : String.join(", ", accepted)) + ")");
        } else if (value < 1) {
            add("spec.topology." + key, "must be at least 1, got " + value);
        }
    }

    /** Returns the number of hosts, or -1 when a list is longer than the CRD allows (its maxItems). */
    private long checkExplicit() {
        int before = out.size();
        atMost("spec.hosts", spec.hostsOrEmpty().size(), 10000);
        atMost("spec.switches", spec.switchesOrEmpty().size(), 10000);
        atMost("spec.links", spec.linksOrEmpty().size(), 20000);
        atMost("spec.linkOverrides", spec.linkOverridesOrEmpty().size(), 20000);
        if (out.size() > before) {
            return -1;
        }
        Map<String, String> nameToPath = new HashMap<>();
        List<HostSpec> hosts = spec.hostsOrEmpty();
        for (int i = 0; i < hosts.size(); i++) {
            HostSpec h = hosts.get(i);
            String path = "spec.hosts[" + i + "]";
            if (h == null) {
                add(path, "is empty");
                continue;
            }
            checkName(h.getName(), path, nameToPath);
            if (h.getIp() != null && !IPV4.matcher(h.getIp()).matches()) {
                add(path + ".ip", "\"" + h.getIp() + "\" is not an IPv4 address such as 10.0.0.1 or 10.0.0.1/24");
            } else if (h.getIp() != null) {
                checkHostAddress(h.getIp(), path + ".ip");
            }
            if (h.getMac() != null && !MAC.matcher(h.getMac()).matches()) {
                add(path + ".mac", "\"" + h.getMac() + "\" is not a MAC address such as 00:00:00:00:00:01");
            } else if (h.getMac() != null && !UNICAST_MAC.matcher(h.getMac()).matches()) {
                add(path + ".mac", "\"" + h.getMac() + "\" is a multicast address (the lowest bit of its first octet is set): "
                        + "Linux gives an interface only a unicast MAC");
            } else if (h.getMac() != null && Names.isAllZeroMac(h.getMac())) {
                add(path + ".mac", "\"" + h.getMac() + "\" is the all-zero address: Linux refuses it on an interface");
            }
            if (h.isVhostUserHost() && (h.getIp() != null || h.getMac() != null || h.getDefaultRoute() != null)) {
                add(path, "a vhostUser host has no network namespace: ip, mac and defaultRoute do not apply");
            }
            if (h.isPodHost() && h.isVhostUserHost()) {
                add(path, "a host is a container (pod) or a vhost-user endpoint (vhostUser), not both");
            }
            PodHostRules.check(h.getPod(), path + ".pod", false, out);
        }
        List<SwitchSpec> switches = spec.switchesOrEmpty();
        for (int i = 0; i < switches.size(); i++) {
            SwitchSpec s = switches.get(i);
            String path = "spec.switches[" + i + "]";
            if (s == null) {
                add(path, "is empty");
                continue;
            }
            checkName(s.getName(), path, nameToPath);
            SwitchKind kind = s.getKind() == null ? spec.getSwitchKind() : s.getKind();
            if (s.getKind() == SwitchKind.OVS_DPDK && blank(s.getBridgeRef()) && blank(spec.getBridgeRef())) {
                add(path + ".bridgeRef", "a switch of kind ovs-dpdk needs bridgeRef naming its DpdkBridge (here, or spec.bridgeRef for all)");
            } else if (s.getKind() == null && kind == SwitchKind.OVS_DPDK && blank(s.getBridgeRef()) && blank(spec.getBridgeRef())) {
                add(path + ".bridgeRef", "switchKind ovs-dpdk needs a DpdkBridge: set bridgeRef here or spec.bridgeRef");
            } else if (kind != SwitchKind.OVS_DPDK && !blank(s.getBridgeRef())) {
                add(path + ".bridgeRef", "only switches of kind ovs-dpdk live on a DpdkBridge; this one is "
                        + (kind == null ? SwitchKind.LINUX_BRIDGE : kind).wireName());
            }
            if (s.getController() != null && !CONTROLLER.matcher(s.getController()).matches()) {
                add(path + ".controller", "\"" + s.getController() + "\" is not a controller target tcp:HOST:PORT or ssl:HOST:PORT "
                        + "such as tcp:127.0.0.1:6653 (HOST an IP address or DNS name, PORT 1-65535)");
            }
        }
        Set<String> hostNames = new HashSet<>();
        hosts.stream().filter(h -> h != null && h.getName() != null).forEach(h -> hostNames.add(h.getName()));
        Set<String> linked = new HashSet<>();
        List<LinkSpec> links = spec.linksOrEmpty();
        boolean delayDefault = spec.getLinkDefaults() != null && spec.getLinkDefaults().getDelay() != null;
        for (int i = 0; i < links.size(); i++) {
            LinkSpec l = links.get(i);
            String path = "spec.links[" + i + "]";
            if (l == null) {
                add(path, "is empty");
                continue;
            }
            checkEnd(l.getA(), path + ".a", nameToPath);
            checkEnd(l.getB(), path + ".b", nameToPath);
            if (l.getA() != null && l.getA().equals(l.getB())) {
                add(path + ".b", "a link's two ends must differ (both are " + l.getA() + ")");
            }
            linked.add(l.getA());
            linked.add(l.getB());
            LinkParamsRules.check(l, path, delayDefault, out);
        }
        for (int i = 0; i < hosts.size(); i++) {
            HostSpec h = hosts.get(i);
            if (h != null && h.getName() != null && !linked.contains(h.getName())) {
                add("spec.hosts[" + i + "]", "host " + h.getName() + " has no link: add a link from it to a switch or another host");
            }
        }
        return hosts.size();
    }

    private void atMost(String path, int size, int max) {
        if (size > max) {
            add(path, "has " + size + " entries; at most " + max);
        }
    }

    private void checkName(String name, String path, Map<String, String> nameToPath) {
        if (blank(name)) {
            add(path + ".name", "is required");
            return;
        }
        if (!NODE_NAME.matcher(name).matches()) {
            add(path + ".name", "\"" + name + "\" must be a lower-case DNS label of at most " + Names.MAX_NODE_NAME
                    + " characters (letters, digits, '-'; starting with a letter), so that \"" + name + "-eth0\" fits in "
                    + Names.IFNAMSIZ + " characters");
        }
        String earlier = nameToPath.putIfAbsent(name, path);
        if (earlier != null) {
            add(path + ".name", "duplicate name " + name + ": " + earlier + " already has it (hosts and switches share one namespace)");
        }
    }

    private void checkEnd(String end, String path, Map<String, String> nameToPath) {
        if (blank(end)) {
            add(path, "is required: a host or switch name");
        } else if (!nameToPath.containsKey(end)) {
            add(path, "unknown host or switch \"" + end + "\"");
        }
    }

    private void checkHostAddress(String ip, String path) {
        String address = ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
        long value;
        try {
            value = Ipv4Block.toLong(address, path);
        } catch (TopologyException e) {
            add(path, e.reason());
            return;
        }
        if (ipBase != null && !ipBase.contains(value)) {
            add(path, address + " is outside ipBase " + Ipv4Block.toDotted(ipBase.base()) + "/" + ipBase.prefixLength()
                    + "; change the address or set spec.ipBase to a block that holds it");
            return;
        }
        int prefix = ip.contains("/") ? Integer.parseInt(ip.substring(ip.indexOf('/') + 1)) : ipBase == null ? 32 : ipBase.prefixLength();
        if (prefix <= 30) {
            long hostBits = (1L << (32 - prefix)) - 1;
            if ((value & hostBits) == 0 || (value & hostBits) == hostBits) {
                add(path, address + "/" + prefix + " is the " + ((value & hostBits) == 0 ? "network" : "broadcast")
                        + " address of its subnet, not a host address");
            }
        }
    }

    private void checkOverrides() {
        boolean delayDefault = spec.getLinkDefaults() != null && spec.getLinkDefaults().getDelay() != null;
        List<LinkSpec> overrides = spec.linkOverridesOrEmpty();
        for (int i = 0; i < overrides.size(); i++) {
            LinkSpec o = overrides.get(i);
            String path = "spec.linkOverrides[" + i + "]";
            if (o == null) {
                add(path, "is empty");
                continue;
            }
            if (blank(o.getA())) {
                add(path + ".a", "is required: a host or switch name");
            }
            if (blank(o.getB())) {
                add(path + ".b", "is required: a host or switch name");
            }
            LinkParamsRules.check(o, path, delayDefault, out);
        }
    }

    /** The schema's rules on profile names, for the CLI; and a bound on distinct names, which the status lists. */
    private void checkProfileNames() {
        if (spec.getLinkDefaults() != null) {
            checkProfileList(spec.getLinkDefaults().getProfiles(), "spec.linkDefaults.profiles");
        }
        for (int i = 0; i < spec.linksOrEmpty().size(); i++) {
            LinkSpec l = spec.linksOrEmpty().get(i);
            checkProfileList(l == null ? null : l.getProfiles(), "spec.links[" + i + "].profiles");
        }
        for (int i = 0; i < spec.linkOverridesOrEmpty().size(); i++) {
            LinkSpec o = spec.linkOverridesOrEmpty().get(i);
            checkProfileList(o == null ? null : o.getProfiles(), "spec.linkOverrides[" + i + "].profiles");
        }
        Set<String> distinct = LinkProfiles.namedBy(spec);
        if (distinct.size() > ProfileNames.MAX_PER_TOPOLOGY) {
            add("spec", "names " + distinct.size() + " different LinkProfiles; at most " + ProfileNames.MAX_PER_TOPOLOGY
                    + " (the status lists each with its values)");
        }
    }

    private void checkProfileList(List<String> names, String path) {
        if (names == null) {
            return;
        }
        atMost(path, names.size(), ProfileNames.MAX_PROFILES);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || name.length() > ProfileNames.MAX_NAME || !PROFILE_NAME.matcher(name).matches()) {
                add(path + "[" + i + "]", "\"" + name + "\" is not a LinkProfile name: a DNS subdomain (lower-case letters, digits, "
                        + "'-' and '.') of at most " + ProfileNames.MAX_NAME + " characters, such as satellite or lossy-wifi");
            }
        }
    }

    private void checkPlacement(boolean builtin) {
        PlacementSpec placement = spec.getPlacement();
        if (placement == null || placement.getStrategy() != PlacementSpec.Strategy.EXPLICIT) {
            return;
        }
        if (builtin) {
            add("spec.placement.strategy", "explicit placement needs explicit hosts and switches, each naming its node; "
                    + "a built-in topology cannot name nodes (use pack or spread)");
            return;
        }
        List<HostSpec> hosts = spec.hostsOrEmpty();
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i) != null && blank(hosts.get(i).getNode())) {
                add("spec.hosts[" + i + "].node", "placement is explicit: host " + hosts.get(i).getName() + " must name its node");
            }
        }
        List<SwitchSpec> switches = spec.switchesOrEmpty();
        for (int i = 0; i < switches.size(); i++) {
            if (switches.get(i) != null && blank(switches.get(i).getNode())) {
                add("spec.switches[" + i + "].node", "placement is explicit: switch " + switches.get(i).getName() + " must name its node");
            }
        }
    }

    private void checkGraph(TopologyGraph graph, boolean builtin) {
        for (TopologyGraph.Link l : graph.links()) {
            for (int side = 0; side < 2; side++) {
                TopologyGraph.Port p = side == 0 ? l.a() : l.b();
                if (p.interfaceName().length() > Names.IFNAMSIZ) {
                    String path = builtin ? "spec.topology" : "spec.links[" + l.index() + "]." + (side == 0 ? "a" : "b");
                    add(path, "interface name " + p.interfaceName() + " is " + p.interfaceName().length()
                            + " characters; Linux allows " + Names.IFNAMSIZ + " (shorten the name of " + p.node()
                            + (builtin ? ", i.e. use fewer hosts or switches" : " or give it fewer links") + ")");
                }
            }
        }
        Map<String, Integer> hostIndex = new HashMap<>();
        for (int i = 0; i < spec.hostsOrEmpty().size(); i++) {
            hostIndex.put(spec.hostsOrEmpty().get(i).getName(), i);
        }
        Map<String, String> byAddress = new HashMap<>();
        Map<String, String> byMac = new HashMap<>();
        for (TopologyGraph.Host h : graph.hosts()) {
            Integer i = hostIndex.get(h.name());
            String where = i == null ? "spec.topology" : "spec.hosts[" + i + "]";
            String other = byAddress.putIfAbsent(h.address(), h.name());
            if (other != null) {
                add(where + ".ip", "host " + h.name() + " has address " + h.address() + ", which host " + other
                        + " already has" + (i != null && spec.hostsOrEmpty().get(i).getIp() == null
                        ? " (" + h.name() + " got it from ipBase by its number; give one of them another address)" : ""));
            }
            if (h.mac() != null) {
                String otherMac = byMac.putIfAbsent(h.mac(), h.name());
                if (otherMac != null) {
                    add(where + ".mac", "host " + h.name() + " has MAC " + h.mac() + ", which host " + otherMac + " already has");
                }
            }
            if (h.defaultRoute() != null) {
                List<String> ifaces = new ArrayList<>(graph.ports(h.name()).stream().map(TopologyGraph.Port::interfaceName).toList());
                if (h.isPod()) {
                    // inside the container the interfaces are eth1, eth2, …: either spelling names them
                    graph.ports(h.name()).forEach(p -> ifaces.add(p.containerDevice()));
                }
                DefaultRoute route = DefaultRoute.parse(h.defaultRoute());
                if (route == null) {
                    add(where + ".defaultRoute", "\"" + h.defaultRoute() + "\" is neither an interface (" + String.join(", ", ifaces)
                            + ") nor a gateway such as \"via 10.0.0.1\" nor both (\"" + (ifaces.isEmpty() ? "eth0" : ifaces.get(0))
                            + " via 10.0.0.1\")");
                } else if (route.device() != null && !ifaces.contains(route.device())) {
                    add(where + ".defaultRoute", "\"" + route.device() + "\" is not an interface of " + h.name()
                            + " (it has " + String.join(", ", ifaces) + ")");
                } else if (route.gateway() != null && !validAddress(route.gateway())) {
                    add(where + ".defaultRoute", "gateway " + route.gateway() + " is not an IPv4 address");
                }
            }
        }
        checkOneSwitchPerDpdkBridge(graph, builtin);
        checkVhostUserHosts(graph);
        checkLoopsHaveStp(graph, builtin);
        Set<String> linked = new HashSet<>();
        graph.links().forEach(l -> linked.add(TopologyExpander.pairKey(l.a().node(), l.b().node())));
        List<LinkSpec> overrides = spec.linkOverridesOrEmpty();
        for (int i = 0; i < overrides.size(); i++) {
            LinkSpec o = overrides.get(i);
            if (!linked.contains(TopologyExpander.pairKey(o.getA(), o.getB()))) {
                add("spec.linkOverrides[" + i + "]", "no link joins " + o.getA() + " and " + o.getB());
            }
        }
    }

    /**
     * An ovs-dpdk switch is its DpdkBridge's OVS bridge: two switches on one DpdkBridge would be one switch, and a link
     * between them a veth looping frames back into it.
     */
    private void checkOneSwitchPerDpdkBridge(TopologyGraph graph, boolean builtin) {
        Map<String, String> switchOf = new HashMap<>();
        List<TopologyGraph.Switch> switches = graph.switches();
        for (int i = 0; i < switches.size(); i++) {
            TopologyGraph.Switch s = switches.get(i);
            if (s.kind() != SwitchKind.OVS_DPDK || s.bridgeRef() == null) {
                continue;
            }
            String other = switchOf.putIfAbsent(s.bridgeRef(), s.name());
            if (other == null) {
                continue;
            }
            if (builtin) {
                add("spec.switchKind", "ovs-dpdk switches are their DpdkBridge's OVS bridge, and every switch of this built-in ("
                        + switches.size() + ") would live on DpdkBridge " + s.bridgeRef() + ": use a built-in with one switch "
                        + "(minimal, single, reversed) or explicit switches, each on its own DpdkBridge");
                return;
            }
            add("spec.switches[" + i + "].bridgeRef", "switch " + s.name() + " would live on DpdkBridge " + s.bridgeRef()
                    + " as switch " + other + " does, and a DpdkBridge is one OVS bridge: give each ovs-dpdk switch its own DpdkBridge");
        }
    }

    /**
     * A vhostUser host's links are dpdkvhostuserclient ports on the DpdkBridges of ovs-dpdk switches: no other kind of
     * peer can take them, and no qdisc can shape them (there is no kernel device). The host runs where its switches do.
     */
    private void checkVhostUserHosts(TopologyGraph graph) {
        Map<String, Integer> hostIndex = new HashMap<>();
        for (int i = 0; i < spec.hostsOrEmpty().size(); i++) {
            hostIndex.put(spec.hostsOrEmpty().get(i).getName(), i);
        }
        for (TopologyGraph.Link l : graph.links()) {
            for (TopologyGraph.Port[] ends : new TopologyGraph.Port[][]{{l.a(), l.b()}, {l.b(), l.a()}}) {
                TopologyGraph.Host host = graph.host(ends[0].node()).filter(TopologyGraph.Host::vhostUser).orElse(null);
                if (host == null) {
                    continue;
                }
                String path = "spec.links[" + l.index() + "]";
                TopologyGraph.Port peer = ends[1];
                TopologyGraph.Switch sw = graph.switchNamed(peer.node()).orElse(null);
                if (sw == null || sw.kind() != SwitchKind.OVS_DPDK) {
                    add(path, "host " + host.name() + " is a vhostUser host: it links only to switches of kind ovs-dpdk, and "
                            + peer.node() + " is " + (sw == null ? "a host" : "a switch of kind " + sw.kind().wireName()));
                    continue;
                }
                if (l.params().isShaped() || l.params().isDown()) {
                    add(path, "the link of vhostUser host " + host.name() + " is an OVS vhost-user port: it takes mtu, but not "
                            + "bandwidthMbps, delay, jitter, lossPercent, maxQueueSize or state down (from the link, "
                            + "spec.linkDefaults or spec.linkOverrides)");
                }
                if (host.node() != null && sw.node() != null && !host.node().equals(sw.node())) {
                    add("spec.hosts[" + hostIndex.get(host.name()) + "].node", "vhostUser host " + host.name()
                            + " runs on the node of its switch " + sw.name() + " (" + sw.node() + "), not on " + host.node());
                }
            }
        }
    }

    /**
     * Switches linked in a loop flood broadcasts around it forever unless every switch on it runs spanning tree
     * (Mininet's torus sets stp for this reason). A link between two switches that are already connected closes a
     * loop; the switches of that connected group must all have stp. Union-find, so a 10000-switch torus stays cheap.
     */
    private void checkLoopsHaveStp(TopologyGraph graph, boolean builtin) {
        List<String> withoutStp = graph.switches().stream().filter(s -> !s.stp()).map(TopologyGraph.Switch::name).toList();
        if (withoutStp.isEmpty()) {
            return;
        }
        Map<String, String> parent = new HashMap<>();
        graph.switches().forEach(s -> parent.put(s.name(), s.name()));
        List<TopologyGraph.Link> closing = new ArrayList<>();
        for (TopologyGraph.Link l : graph.links()) {
            if (!l.isSwitchToSwitch()) {
                continue;
            }
            String ra = root(parent, l.a().node());
            String rb = root(parent, l.b().node());
            if (ra.equals(rb)) {
                closing.add(l);
            } else {
                parent.put(ra, rb);
            }
        }
        if (closing.isEmpty()) {
            return;
        }
        // the switches without stp of each group, in switch order: one pass, not one scan per looped group
        Map<String, List<String>> withoutStpByGroup = new HashMap<>();
        for (String s : withoutStp) {
            withoutStpByGroup.computeIfAbsent(root(parent, s), g -> new ArrayList<>()).add(s);
        }
        Set<String> reported = new HashSet<>();
        for (TopologyGraph.Link l : closing) {
            String group = root(parent, l.a().node());
            if (!reported.add(group)) {
                continue; // one violation per group of switches, found at its first closing link
            }
            List<String> culprits = withoutStpByGroup.getOrDefault(group, List.of());
            if (!culprits.isEmpty()) {
                add(builtin ? "spec.topology" : "spec.links[" + l.index() + "]", "the links between switches form a loop "
                        + "(this one, " + l.a().node() + "-" + l.b().node() + ", closes it): set stp: true on "
                        + String.join(", ", culprits) + ", or broadcasts circulate forever");
            }
        }
    }

    /** The representative of node's group, halving the path on the way (keeps the trees flat). */
    private static String root(Map<String, String> parent, String node) {
        String r = node;
        while (!parent.get(r).equals(r)) {
            String grand = parent.get(parent.get(r));
            parent.put(r, grand);
            r = grand;
        }
        return r;
    }

    private void add(String field, String message) {
        out.add(new Violation(field, message));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
