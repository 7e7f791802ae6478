package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.Action.*;
import io.nfvlab.agent.kernel.Observed.Interface;
import io.nfvlab.agent.kernel.Observed.Namespace;
import io.nfvlab.agent.kernel.Observed.Neigh;
import io.nfvlab.agent.kernel.Observed.OvsBridge;
import io.nfvlab.agent.kernel.Observed.OvsPort;
import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.LinkShaping;
import io.nfvlab.agent.kernel.shaping.RelayKey;
import io.nfvlab.agent.kernel.shaping.ShapingMechanisms;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.node.ArpEntry;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.SwitchKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pure function: (desired spec, observed state) → the actions that make the kernel and OVS match, in apply order:
 * host namespaces, bridges (Linux or OVS), veth pairs, VXLAN tunnels, addresses and routes. Objects are touched only
 * when they carry this owner's mark for this node; anything in the way that is not ours is reported as an item error.
 * Planning an empty spec for a token yields its teardown. What a link's shaping needs (a delay line, qdiscs) is
 * {@link LinkShaping}'s decision; this class only turns it into actions.
 */
public final class Planner {
    public static final int DEFAULT_VXLAN_PORT = 4789;
    /** The logical name in the marks of a switch namespace's lo and marker (not a valid host or switch name). */
    static final String SWITCH_SIDE = "-switch-side";

    private final String node;
    private final boolean ovsAllowed;
    private final ShapingMechanisms mechanisms;

    /**
     * @param node       this agent's node name (part of every mark)
     * @param ovsAllowed false when the node's root namespace is emulated (OVS ports live only in the real root)
     */
    public Planner(String node, boolean ovsAllowed) {
        this(node, ovsAllowed, ShapingMechanisms.WITHOUT_NETEM);
    }

    /** @param mechanisms what the node's kernel offers for shaping (whether netem or the delay line carries impairments) */
    public Planner(String node, boolean ovsAllowed, ShapingMechanisms mechanisms) {
        this.node = node;
        this.ovsAllowed = ovsAllowed;
        this.mechanisms = mechanisms;
    }

    public Plan plan(String token, NetworkNodeStateSpec spec, Observed.State observed) {
        return new Run(token, spec, observed).plan();
    }

    /** Teardown of everything marked with {@code token} for this node; {@code hostNetns} are the planned namespaces. */
    public Plan teardown(String token, Set<String> hostNetns, Observed.State observed) {
        Run run = new Run(token, new NetworkNodeStateSpec(), observed);
        run.extraNamespaces.addAll(hostNetns);
        return run.plan();
    }

    private final class Run {
        final String token;
        final NetworkNodeStateSpec spec;
        final Observed.State obs;
        final List<Action> actions = new ArrayList<>();
        final List<ItemError> errors = new ArrayList<>();
        final Set<String> freshNetns = new HashSet<>();
        final Set<String> wantedNetns = new HashSet<>();
        /** Desired interfaces per namespace key (ROOT for the node root). */
        final Map<String, Set<String>> wantedDevices = new HashMap<>();
        final Set<String> wantedOvsBridges = new HashSet<>();
        final Set<String> wantedOvsPorts = new HashSet<>();
        final Map<String, PlannedSwitch> switchByDevice = new HashMap<>();
        final Map<String, PlannedHost.PlannedInterface> hostIfaces = new HashMap<>();
        /**
         * Host-side devices ("netns/device") this plan deletes and creates anew (a link moved onto or off a delay
         * line): what was observed on them (addresses, routes, neighbours) is gone once the plan runs.
         */
        final Set<String> recreated = new HashSet<>();
        final Set<String> brokenHosts = new HashSet<>();
        /** Unmarked namespaces of this token that may be removed anyway (teardown of a named plan). */
        final Set<String> extraNamespaces = new HashSet<>();
        /** The shaping of each link and tunnel item, parsed once; null when its parameters do not parse. */
        final Map<String, LinkShaping> shapings = new HashMap<>();
        /** The namespaces of the switch side ({@link SwitchNamespace}), or null for the node root. */
        final SwitchNamespace.Layout layout;
        /** The first of them (with the marker pair), or null for the node root. */
        final String switchNs;

        Run(String token, NetworkNodeStateSpec spec, Observed.State obs) {
            this.token = token;
            this.layout = SwitchNamespace.layout(token, node, spec);
            this.switchNs = layout == null ? null : layout.first();
            this.spec = SwitchNamespace.relocate(spec, layout);
            this.obs = obs;
        }

        Plan plan() {
            for (PlannedSwitch s : spec.switchesOrEmpty()) {
                switchByDevice.put(s.getDevice(), s);
            }
            removeUnwantedFirst();
            for (PlannedHost h : spec.hostsOrEmpty()) {
                host(h);
            }
            switchNamespace();
            for (PlannedSwitch s : spec.switchesOrEmpty()) {
                sw(s);
            }
            for (PlannedLink l : spec.linksOrEmpty()) {
                link(l);
            }
            for (PlannedTunnel t : spec.tunnelsOrEmpty()) {
                tunnel(t);
            }
            for (PlannedHost h : spec.hostsOrEmpty()) {
                hostRoutes(h);
            }
            removeUnwanted();
            return new Plan(List.copyOf(actions), List.copyOf(errors));
        }

        // ---------------------------------------------------------------- hosts
        void host(PlannedHost h) {
            if (h.isVhostUserHost()) {
                return; // no namespace: its links are vhost-user ports (vhostUserLink)
            }
            String item = "hosts/" + h.getName();
            String ns = h.getNetns();
            wantedNetns.add(ns);
            for (PlannedHost.PlannedInterface i : h.interfacesOrEmpty()) {
                hostIfaces.put(ns + "/" + i.getName(), i);
            }
            String mark = Marks.mark(token, node, h.getName());
            if (!obs.netns().contains(ns)) {
                actions.add(new NetnsAdd(item, ns));
                freshNetns.add(ns);
                actions.add(new LinkSet(item, ns, "lo", mark, null, true, null, null));
                return;
            }
            Interface lo = nsOf(ns).get("lo");
            if (lo != null && lo.alias() != null && !lo.alias().isEmpty() && !Marks.ours(lo.alias(), token, node)) {
                errors.add(new ItemError(item, "namespace " + ns + " exists and is marked " + lo.alias() + ", not by this agent"));
                brokenHosts.add(ns);
                return;
            }
            if (lo == null || !lo.up() || !mark.equals(lo.alias())) {
                actions.add(new LinkSet(item, ns, "lo", mark, null, true, null, null));
            }
        }

        void hostRoutes(PlannedHost h) {
            String ns = h.getNetns();
            if (h.isVhostUserHost() || brokenHosts.contains(ns)) {
                return;
            }
            String item = "hosts/" + h.getName();
            Namespace o = nsOf(ns);
            boolean fresh = freshNetns.contains(ns);
            for (PlannedHost.PlannedInterface pi : h.interfacesOrEmpty()) {
                if (pi.getAddress() == null || !wantedDevices.getOrDefault(ns, Set.of()).contains(pi.getName())) {
                    continue;
                }
                Interface oi = o.get(pi.getName());
                Set<String> have = fresh || oi == null || recreated.contains(ns + "/" + pi.getName()) ? Set.of() : oi.addresses();
                if (!have.contains(pi.getAddress())) {
                    actions.add(new AddrAdd(item, ns, pi.getName(), pi.getAddress()));
                }
                for (String extra : have) {
                    if (!extra.equals(pi.getAddress())) {
                        actions.add(new AddrDel(item, ns, pi.getName(), extra));
                    }
                }
            }
            String route = h.getDefaultRoute();
            if (route != null && isUp(ns, route) && (fresh || recreated.contains(ns + "/" + route) || !route.equals(o.defaultRouteDevice()))) {
                actions.add(h.getDefaultGateway() == null ? new RouteDefault(item, ns, route)
                        : new RouteDefaultVia(item, ns, route, h.getDefaultGateway()));
            }
            // staticArp: an entry for every other host of the table, on the host's addressed interface
            String arpInterface = spec.staticArpOrEmpty().isEmpty() ? null : h.interfacesOrEmpty().stream()
                    .filter(i -> i.getAddress() != null).map(PlannedHost.PlannedInterface::getName).findFirst().orElse(null);
            if (arpInterface != null && isUp(ns, arpInterface)) {
                for (ArpEntry arp : spec.staticArpOrEmpty()) {
                    if (arp.getHost().equals(h.getName())) {
                        continue;
                    }
                    Neigh n = new Neigh(arpInterface, arp.getAddress(), arp.getMac().toLowerCase());
                    if (fresh || recreated.contains(ns + "/" + arpInterface) || !o.neighbours().contains(n)) {
                        actions.add(new NeighSet(item, ns, arpInterface, arp.getAddress(), arp.getMac()));
                    }
                }
            }
        }

        /** Whether the planned link or tunnel end {@code device} in {@code ns} is meant to be up. */
        final Map<String, Boolean> desiredUp = new HashMap<>();

        boolean isUp(String ns, String device) {
            return desiredUp.getOrDefault(ns + "/" + device, false);
        }

        // ---------------------------------------------------------------- switches
        /**
         * The switch namespace, its {@code lo} marked like a host's, and the marker pair whose root end disappears only
         * when the kernel has destroyed the namespace (see {@link KernelNames#switchMarker}).
         */
        void switchNamespace() {
            if (switchNs == null) {
                return;
            }
            String item = "switches";
            for (String ns : layout.namespaces().subList(1, layout.namespaces().size())) {
                switchNamespace(item, ns);
            }
            if (!switchNamespace(item, switchNs)) {
                return;
            }
            String rootEnd = KernelNames.switchMarker(token, 'a');
            String nsEnd = KernelNames.switchMarker(token, 'b');
            want(switchNs, nsEnd);
            Interface inRoot = nsOf(null).get(rootEnd);
            Interface inNs = nsOf(switchNs).get(nsEnd);
            if (inRoot != null && !Marks.ours(inRoot.alias(), token, node)) {
                errors.add(new ItemError(item, "device " + rootEnd + " exists and is not marked by this agent"));
                return;
            }
            if (inRoot == null || inNs == null || !"veth".equals(inRoot.kind())) {
                if (inRoot != null) {
                    actions.add(new LinkDel(item, null, rootEnd));
                }
                if (inNs != null) {
                    actions.add(new LinkDel(item, switchNs, nsEnd));
                }
                actions.add(new VethAdd(item, new Action.End(null, rootEnd, null, null, 0),
                        new Action.End(switchNs, nsEnd, null, null, 0)));
                actions.add(new LinkSet(item, null, rootEnd, Marks.mark(token, node, SWITCH_SIDE), null, null, null, null));
            }
        }

        /** One switch-side namespace made, or its {@code lo} up and marked; false when it is someone else's. */
        boolean switchNamespace(String item, String ns) {
            wantedNetns.add(ns);
            String mark = Marks.mark(token, node, SWITCH_SIDE);
            if (!obs.netns().contains(ns)) {
                actions.add(new NetnsAdd(item, ns));
                freshNetns.add(ns);
                actions.add(new LinkSet(item, ns, "lo", mark, null, true, null, null));
                return true;
            }
            Interface lo = nsOf(ns).get("lo");
            if (lo != null && lo.alias() != null && !lo.alias().isEmpty() && !Marks.ours(lo.alias(), token, node)) {
                errors.add(new ItemError(item, "namespace " + ns + " exists and is marked " + lo.alias() + ", not by this agent"));
                brokenHosts.add(ns);
                return false;
            }
            if (lo == null || !lo.up() || !mark.equals(lo.alias())) {
                actions.add(new LinkSet(item, ns, "lo", mark, null, true, null, null));
            }
            return true;
        }

        void sw(PlannedSwitch s) {
            String item = "switches/" + s.getName();
            String dev = s.getDevice();
            boolean stp = Boolean.TRUE.equals(s.getStp());
            SwitchKind kind = s.getKind() == null ? SwitchKind.LINUX_BRIDGE : s.getKind();
            switch (kind) {
                case LINUX_BRIDGE -> {
                    String ns = layout == null ? null : layout.of(dev);
                    if (brokenHosts.contains(ns)) {
                        return;
                    }
                    want(ns, dev);
                    String mark = Marks.mark(token, node, s.getName());
                    Interface o = nsOf(ns).get(dev);
                    if (o == null) {
                        actions.add(new BridgeAdd(item, ns, dev, stp, mark, Marks.group(token)));
                    } else if (!Marks.ours(o.alias(), token, node)) {
                        errors.add(new ItemError(item, "device " + dev + " exists and is not marked by this agent"));
                    } else {
                        if (!"bridge".equals(o.kind())) {
                            errors.add(new ItemError(item, "device " + dev + " is a " + o.kind() + ", not a bridge"));
                            return;
                        }
                        if (o.stp() != null && o.stp() != stp) {
                            actions.add(new BridgeSetStp(item, ns, dev, stp));
                        }
                        if (!o.up() || !mark.equals(o.alias())) {
                            actions.add(new LinkSet(item, ns, dev, mark, null, true, null, null));
                        }
                    }
                }
                case OVS -> {
                    if (!ovsAllowed) {
                        errors.add(new ItemError(item, "kind ovs is not supported when the node's root namespace is emulated (nodeNetns); use linux-bridge"));
                        return;
                    }
                    if (!obs.ovs().available()) {
                        errors.add(new ItemError(item, "OVS is not reachable (ovsdb-server/ovs-vswitchd not running; scripts/setup-host.sh starts them)"));
                        return;
                    }
                    wantedOvsBridges.add(dev);
                    OvsBridge b = obs.ovs().bridges().get(dev);
                    if (b == null) {
                        actions.add(new OvsBridgeAdd(item, dev, Marks.ovsIds(token, node, s.getName()), stp, s.getController()));
                    } else if (!Marks.ovsOurs(b.externalIds(), token, node)) {
                        errors.add(new ItemError(item, "OVS bridge " + dev + " exists and is not marked by this agent"));
                    } else if (b.stp() != stp || !Objects.equals(b.controller(), s.getController())) {
                        actions.add(new OvsBridgeSet(item, dev, stp, s.getController()));
                    }
                }
                case OVS_DPDK -> {
                    // the DpdkBridge's own node state builds and removes the bridge; the switch only uses it
                    String problem = dpdkBridgeProblem(s);
                    if (problem != null) {
                        errors.add(new ItemError(item, problem));
                    }
                }
            }
        }

        /** Why the DpdkBridge bridge an ovs-dpdk switch lives on cannot take ports now, or null when it can. */
        String dpdkBridgeProblem(PlannedSwitch s) {
            if (!ovsAllowed) {
                return "kind ovs-dpdk is not supported when the node's root namespace is emulated (nodeNetns)";
            }
            if (!obs.ovs().available()) {
                return "OVS is not reachable (ovsdb-server/ovs-vswitchd not running; scripts/setup-host.sh starts them)";
            }
            OvsBridge b = obs.ovs().bridges().get(s.getDevice());
            String dpdkBridge = s.getDpdkBridge();
            if (b == null || !Objects.equals(dpdkBridge, b.externalIds().get(Marks.OVS_DPDK_BRIDGE_KEY))) {
                return "DpdkBridge " + dpdkBridge + " has no OVS bridge " + s.getDevice() + " on this node yet "
                        + "(its own state builds it; see the DpdkBridge's status)";
            }
            if (b.error() != null) {
                return "the OVS bridge " + s.getDevice() + " of DpdkBridge " + dpdkBridge + " has an error: " + b.error();
            }
            return null;
        }

        // ---------------------------------------------------------------- links and tunnels
        void link(PlannedLink l) {
            if (l.vhostUserEnd() != null) {
                vhostUserLink(l, l.vhostUserEnd());
                return;
            }
            String item = "links/" + l.getId();
            Endpoint a = l.getA();
            Endpoint b = l.getB();
            if (brokenHosts.contains(a.getNetns()) || brokenHosts.contains(b.getNetns())) {
                return;
            }
            LinkShaping shaping = shaping(item, l.getParams());
            if (shaping == null) {
                // left as it is (removeUnwantedFirst keeps its delay line too)
                want(a.getNetns(), a.getDevice());
                want(b.getNetns(), b.getDevice());
                return;
            }
            Integer mtu = shaping.params().mtu();
            boolean offload = isOvsEnd(a) || isOvsEnd(b) || shaping.needsChecksums();
            Interface oa = observedIf(a);
            Interface ob = observedIf(b);
            boolean halfBuilt = false;
            for (Object[] d : new Object[][]{{oa, a}, {ob, b}}) {
                Interface o = (Interface) d[0];
                if (o != null && !Marks.ours(o.alias(), token, node)) {
                    if (unmarkedInOwnHost(o, (Endpoint) d[1])) {
                        halfBuilt = true;
                        continue;
                    }
                    errors.add(new ItemError(item, "device " + o.name() + " exists and is not marked by this agent"));
                    return;
                }
            }
            DelayLine line = shaping.delayLine();
            boolean relayed = line != null;
            String ra = KernelNames.relayDevice(token, l.getId(), 'a');
            String rb = KernelNames.relayDevice(token, l.getId(), 'b');
            String relayNs = relayNetns(a, b);
            Interface ora = nsOf(relayNs).get(ra);
            Interface orb = nsOf(relayNs).get(rb);
            for (Interface o : new Interface[]{ora, orb}) {
                if (o != null && !Marks.ours(o.alias(), token, node)) {
                    errors.add(new ItemError(item, "device " + o.name() + " exists and is not marked by this agent"));
                    return;
                }
            }
            boolean shapeOk = relayed ? ora != null && orb != null : ora == null && orb == null;
            boolean fresh = halfBuilt || oa == null || ob == null || !"veth".equals(oa.kind()) || !"veth".equals(ob.kind()) || !shapeOk
                    || anotherLinks(oa, l.getId()) || anotherLinks(ob, l.getId());
            if (fresh) {
                // a lone survivor of a pair, a device of the wrong kind or of another link, or the wrong shape (direct vs. delay line)
                for (Object[] d : new Object[][]{{oa, a.getNetns(), a.getDevice()}, {ob, b.getNetns(), b.getDevice()},
                        {ora, relayNs, ra}, {orb, relayNs, rb}}) {
                    if (d[0] != null) {
                        actions.add(new LinkDel(item, (String) d[1], (String) d[2]));
                    }
                }
                recreated.add(a.getNetns() + "/" + a.getDevice());
                recreated.add(b.getNetns() + "/" + b.getDevice());
                if (relayed) {
                    actions.add(new VethAdd(item, end(a, mtu), new Action.End(relayNs, ra, null, mtu, Marks.group(token))));
                    actions.add(new VethAdd(item, new Action.End(relayNs, rb, null, mtu, Marks.group(token)), end(b, mtu)));
                } else {
                    actions.add(new VethAdd(item, end(a, mtu), end(b, mtu)));
                }
            }
            want(a.getNetns(), a.getDevice());
            want(b.getNetns(), b.getDevice());
            RelayKey key = new RelayKey(token, l.getId());
            if (relayed) {
                delayLine(item, l.getId(), key, line, relayNs, ra, rb, mtu, fresh);
            } else if (obs.relays().containsKey(key)) {
                actions.add(new Action.RelayStop(item, key));
            }
            configureEnd(item, l.getId(), a, fresh ? null : oa, shaping, offload);
            configureEnd(item, l.getId(), b, fresh ? null : ob, shaping, offload);
        }

        /**
         * Whether {@code o} is marked as an end of another link. Switch ends are named by the link's number, so a topology
         * grown or reordered in place names another link's device as this link's end; taken as it was, it stayed that
         * link's pair (a host wired to another host's switch port), and the syncs that followed untangled ~70 links each.
         */
        boolean anotherLinks(Interface o, String linkId) {
            KernelNames.Mark m = o == null ? null : KernelNames.parseIfalias(o.alias());
            return m != null && Marks.ours(o.alias(), token, node) && !linkId.equals(m.logical());
        }

        /** The two root devices of a link's delay line up, marked and at the link's MTU, and the line running. */
        void delayLine(String item, String linkId, RelayKey key, DelayLine line, String ns, String ra, String rb, Integer mtu, boolean fresh) {
            want(ns, ra);
            want(ns, rb);
            for (String[] r : new String[][]{{ra, "ra"}, {rb, "rb"}}) {
                Interface o = fresh ? null : nsOf(ns).get(r[0]);
                String mark = Marks.mark(token, node, linkId + "~" + r[1]);
                if (o == null) {
                    actions.add(new LinkSet(item, ns, r[0], mark, null, true, null, null));
                } else if (!o.up() || !mark.equals(o.alias()) || (mtu != null && o.mtu() != mtu)) {
                    actions.add(new LinkSet(item, ns, r[0], mark, mtu != null && o.mtu() != mtu ? mtu : null, true, null, null));
                }
            }
            if (fresh || !line.equals(obs.relays().get(key))) {
                actions.add(new Action.RelayStart(item, key, ns, ra, rb, line));
            }
        }

        /** A delay line's two devices and its relay live beside the link's switch end (end a's when both are switch ends). */
        String relayNetns(Endpoint a, Endpoint b) {
            if (layout == null) {
                return null;
            }
            return layout.contains(a.getNetns()) ? a.getNetns() : layout.contains(b.getNetns()) ? b.getNetns() : switchNs;
        }

        /** The shaping of a link or tunnel item; null, with an item error, when its parameters do not parse. */
        LinkShaping shaping(String item, LinkParams p) {
            if (!shapings.containsKey(item)) {
                LinkShaping s = null;
                try {
                    s = LinkShaping.of(p, mechanisms);
                } catch (IllegalArgumentException e) {
                    errors.add(new ItemError(item, "link parameters: " + e.getMessage()));
                }
                shapings.put(item, s);
            }
            return shapings.get(item);
        }

        /**
         * A vhostUser host's link is one dpdkvhostuserclient port on the switch's DpdkBridge: OVS connects to the socket
         * a DPDK application serves. The port is replaced when the socket or MTU it was created with changed.
         */
        void vhostUserLink(PlannedLink l, Endpoint host) {
            String item = "links/" + l.getId();
            PlannedSwitch sw = switchByDevice.get(host.getBridge());
            String problem = sw == null || sw.getKind() != SwitchKind.OVS_DPDK
                    ? "the vhost-user port of " + host.getNode() + " needs an ovs-dpdk switch on bridge " + host.getBridge()
                    : dpdkBridgeProblem(sw);
            if (problem != null) {
                errors.add(new ItemError(item, problem));
                return;
            }
            Integer mtu = l.getParams() == null ? null : l.getParams().getMtu();
            Map<String, String> ids = Marks.vhostUserIds(token, node, l.getId(), host.getVhostUserSocket(), mtu);
            OvsPort port = obs.ovs().ports().get(host.getDevice());
            if (port != null && port.bridge().equals(host.getBridge()) && port.externalIds().equals(ids)) {
                if (port.error() != null) {
                    errors.add(new ItemError(item, "OVS reports for vhost-user port " + host.getDevice() + ": " + port.error()));
                }
                return;
            }
            if (port != null) {
                actions.add(new OvsPortDel(item, port.bridge(), host.getDevice()));
            }
            actions.add(new OvsPortAdd(item, host.getBridge(), host.getDevice(), ids,
                    new Action.VhostUserClient(host.getVhostUserSocket(), mtu)));
        }

        void tunnel(PlannedTunnel t) {
            String item = "tunnels/" + t.getId();
            Endpoint e = t.getEndpoint();
            if (brokenHosts.contains(e.getNetns())) {
                return;
            }
            LinkShaping shaping = shaping(item, t.getParams());
            String refused = shaping == null ? null : shaping.refusedOnTunnel();
            if (refused != null) {
                errors.add(new ItemError(item, refused));
            }
            if (shaping == null || refused != null) {
                want(e.getNetns(), e.getDevice());
                return;
            }
            int port = t.getDstPort() == null ? DEFAULT_VXLAN_PORT : t.getDstPort();
            Interface o = observedIf(e);
            if (o != null && !Marks.ours(o.alias(), token, node)) {
                errors.add(new ItemError(item, "device " + o.name() + " exists and is not marked by this agent"));
                return;
            }
            Observed.Vxlan want = new Observed.Vxlan(t.getVni(), t.getLocalAddress(), t.getRemoteAddress(), port);
            boolean fresh = o == null || !"vxlan".equals(o.kind()) || !want.equals(o.vxlan());
            if (fresh) {
                if (o != null) {
                    actions.add(new LinkDel(item, e.getNetns(), e.getDevice()));
                }
                actions.add(new VxlanAdd(item, e.getDevice(), e.getNetns(), t.getVni(), t.getLocalAddress(),
                        t.getRemoteAddress(), port, shaping.params().mtu(), Marks.group(token)));
            }
            want(e.getNetns(), e.getDevice());
            configureEnd(item, t.getId(), e, fresh ? null : o, shaping, isOvsEnd(e));
        }

        /** Brings one end to its planned mtu, state, master, MAC, qdiscs and mark; {@code o} null means just created. */
        void configureEnd(String item, String logical, Endpoint e, Interface o, LinkShaping shaping, boolean offload) {
            String ns = e.getNetns();
            String dev = e.getDevice();
            Integer mtu = shaping.params().mtu();
            boolean up = !shaping.params().down();
            desiredUp.put(ns + "/" + dev, up);
            String base = Marks.mark(token, node, logical);
            String fin = Marks.configured(token, node, logical, shaping.signature(offload));
            PlannedSwitch sw = e.getBridge() == null ? null : switchByDevice.get(e.getBridge());
            boolean linuxBridge = sw != null && (sw.getKind() == null || sw.getKind() == SwitchKind.LINUX_BRIDGE);
            boolean ovsPort = sw != null && sw.getKind() == SwitchKind.OVS;
            if (sw != null && sw.getKind() == SwitchKind.OVS_DPDK) {
                String problem = dpdkBridgeProblem(sw);
                if (problem == null) {
                    ovsPort = true;
                } else {
                    // the veth waits for the bridge; the next sync attaches it
                    errors.add(new ItemError(item, "switch " + sw.getName() + " is not ready: " + problem));
                }
            }
            String master = linuxBridge ? e.getBridge() : null;
            String mac = e.getMac();
            if (mac == null && ns != null) {
                PlannedHost.PlannedInterface pi = hostIfaces.get(ns + "/" + e.getInterfaceName());
                mac = pi == null ? null : pi.getMac();
            }
            boolean needsConfig = o == null || !fin.equals(o.alias());
            String qdisc = o == null ? null : nsOf(ns).rootQdiscs().get(dev);
            boolean hasClsact = o != null && nsOf(ns).clsact().contains(dev);
            // the ip link settings
            Integer setMtu = null;
            Boolean setUp = null;
            String setMaster = null;
            String setMac = null;
            if (o == null) {
                setUp = up;
                setMaster = master;
            } else {
                if (mtu != null && o.mtu() != mtu) {
                    setMtu = mtu;
                }
                if (o.up() != up) {
                    setUp = up;
                }
                if (!Objects.equals(o.master(), master)) {
                    setMaster = master == null ? "" : master;
                }
                if (mac != null && o.mac() != null && !mac.equalsIgnoreCase(o.mac())) {
                    setMac = mac;
                }
            }
            // nothing to do between creation and the final mark: write it at once
            boolean direct = !offload && !shaping.shaped();
            if (ns == null) {
                String alias = o == null ? (direct ? fin : base) : null;
                if (alias != null || setMtu != null || setUp != null || setMaster != null || setMac != null) {
                    actions.add(new LinkSet(item, null, dev, alias, setMtu, setUp, setMaster, setMac));
                }
            }
            if (ovsPort && ovsAllowed && obs.ovs().available()) {
                wantedOvsPorts.add(dev);
                OvsPort port = obs.ovs().ports().get(dev);
                Map<String, String> ids = Marks.ovsIds(token, node, logical);
                if (port != null && (o == null || !e.getBridge().equals(port.bridge()))) {
                    actions.add(new OvsPortDel(item, port.bridge(), dev));
                    port = null;
                }
                if (port == null) {
                    actions.add(new OvsPortAdd(item, e.getBridge(), dev, ids));
                }
            }
            if (needsConfig && offload) {
                actions.add(new OffloadOff(item, ns, dev));
            }
            switch (shaping.tcChange(needsConfig, qdisc, hasClsact)) {
                case SET -> actions.add(new QdiscSet(item, ns, dev, shaping));
                case CLEAR -> actions.add(new QdiscClear(item, ns, dev));
                case NONE -> {
                }
            }
            if (ns == null) {
                if (needsConfig && !(o == null && direct)) {
                    actions.add(new MarkSet(item, null, dev, fin));
                }
            } else {
                String alias = needsConfig ? fin : null;
                if (alias != null || setMtu != null || setUp != null || setMaster != null || setMac != null) {
                    actions.add(new LinkSet(item, ns, dev, alias, setMtu, setUp, setMaster, setMac));
                }
            }
        }

        Action.End end(Endpoint e, Integer mtu) {
            String mac = e.getMac();
            if (mac == null && e.getNetns() != null) {
                PlannedHost.PlannedInterface pi = hostIfaces.get(e.getNetns() + "/" + e.getInterfaceName());
                mac = pi == null ? null : pi.getMac();
            }
            return new Action.End(e.getNetns(), e.getDevice(), mac, mtu, Marks.group(token));
        }

        /** Ends on OVS's userspace datapath (netdev, DPDK or not) need TX checksum offload off. */
        boolean isOvsEnd(Endpoint e) {
            PlannedSwitch s = e.getBridge() == null ? null : switchByDevice.get(e.getBridge());
            return s != null && (s.getKind() == SwitchKind.OVS || s.getKind() == SwitchKind.OVS_DPDK);
        }

        /**
         * A device with no mark at all inside a host namespace of this owner's token: an agent killed between moving a
         * link's end into the namespace and marking it (found by ChaosIT). Only this agent puts devices into its own host
         * namespaces, so the device is its own half-built link: replaced, not reported as a stranger's.
         */
        boolean unmarkedInOwnHost(Interface o, Endpoint end) {
            return (o.alias() == null || o.alias().isEmpty()) && end.getNetns() != null
                    && token.equals(KernelNames.tokenOfNetns(end.getNetns()));
        }

        Interface observedIf(Endpoint e) {
            if (e.getNetns() != null && freshNetns.contains(e.getNetns())) {
                return null;
            }
            return nsOf(e.getNetns()).get(e.getDevice());
        }

        Namespace nsOf(String ns) {
            if (ns != null && freshNetns.contains(ns)) {
                return Observed.emptyNamespace(ns);
            }
            Namespace n = obs.ns(ns);
            return n == null ? Observed.emptyNamespace(ns) : n;
        }

        void want(String ns, String device) {
            wantedDevices.computeIfAbsent(ns == null ? Observed.ROOT : ns, k -> new HashSet<>()).add(device);
        }

        // ---------------------------------------------------------------- what is ours but no longer planned
        /** Namespaces, root devices and OVS objects marked for this token that the spec no longer has; removed first. */
        void removeUnwantedFirst() {
            Set<String> desiredNs = new HashSet<>();
            spec.hostsOrEmpty().forEach(h -> desiredNs.add(h.getNetns()));
            Set<String> desiredRoot = new HashSet<>();
            Set<String> desiredOvs = new HashSet<>();
            spec.switchesOrEmpty().forEach(s -> {
                if (switchNs == null) desiredRoot.add(s.getDevice());
                desiredOvs.add(s.getDevice());
            });
            if (switchNs != null) {
                desiredNs.addAll(layout.namespaces());
                desiredRoot.add(KernelNames.switchMarker(token, 'a'));
            }
            Set<RelayKey> desiredRelays = new HashSet<>();
            spec.linksOrEmpty().forEach(l -> {
                if (l.getA().getNetns() == null) desiredRoot.add(l.getA().getDevice());
                if (l.getB().getNetns() == null) desiredRoot.add(l.getB().getDevice());
                LinkShaping shaping = shaping("links/" + l.getId(), l.getParams());
                if (shaping == null || shaping.delayLine() != null) {
                    if (switchNs == null) {
                        desiredRoot.add(KernelNames.relayDevice(token, l.getId(), 'a'));
                        desiredRoot.add(KernelNames.relayDevice(token, l.getId(), 'b'));
                    }
                    desiredRelays.add(new RelayKey(token, l.getId()));
                }
            });
            for (RelayKey key : obs.relays().keySet()) {
                if (key.token().equals(token) && !desiredRelays.contains(key)) {
                    actions.add(new Action.RelayStop("links/" + key.linkId(), key));
                }
            }
            spec.tunnelsOrEmpty().forEach(t -> {
                if (t.getEndpoint().getNetns() == null) desiredRoot.add(t.getEndpoint().getDevice());
            });
            String prefix = Nfvlab.NETNS_PREFIX + token + "-";
            for (String ns : Observed.sorted(obs.netns())) {
                if (!ns.startsWith(prefix) || desiredNs.contains(ns)) {
                    continue;
                }
                Namespace n = obs.ns(ns);
                Interface lo = n == null ? null : n.get("lo");
                String alias = lo == null ? null : lo.alias();
                boolean marked = Marks.ours(alias, token, node);
                boolean unmarkedButNamed = (alias == null || alias.isEmpty()) && extraNamespaces.contains(ns);
                if (marked || unmarkedButNamed) {
                    actions.add(new NetnsDel("hosts/" + ns, ns));
                }
            }
            Set<String> ovsPortsOnDeletedBridges = new HashSet<>();
            for (OvsBridge b : obs.ovs().bridges().values()) {
                // a DpdkBridge's bridge is removed by the DpdkBridge side alone (with its socket directory)
                boolean dpdkBridge = b.externalIds().containsKey(Marks.OVS_DPDK_BRIDGE_KEY);
                if (Marks.ovsOurs(b.externalIds(), token, node) && !desiredOvs.contains(b.name()) && !dpdkBridge) {
                    actions.add(new OvsBridgeDel("switches/" + b.externalIds().getOrDefault(Marks.OVS_NAME_KEY, b.name()), b.name()));
                    ovsPortsOnDeletedBridges.add(b.name());
                }
            }
            for (OvsPort p : obs.ovs().ports().values()) {
                if (Marks.ovsOurs(p.externalIds(), token, node) && !desiredRoot.contains(p.name())
                        && !ovsPortsOnDeletedBridges.contains(p.bridge())) {
                    actions.add(new OvsPortDel("links/" + p.externalIds().getOrDefault(Marks.OVS_NAME_KEY, p.name()), p.bridge(), p.name()));
                }
            }
            Namespace root = obs.root();
            if (root != null) {
                int group = Marks.group(token);
                // a switch namespace being deleted takes its marker's root end with it, when the kernel is done
                String marker = KernelNames.switchMarker(token, 'a');
                boolean switchNsGoes = actions.stream().anyMatch(a -> a instanceof NetnsDel d
                        && d.netns().equals(KernelNames.switchNetns(token, node)));
                List<Interface> doomed = root.interfaces().values().stream()
                        .filter(i -> Marks.ours(i.alias(), token, node) && !desiredRoot.contains(i.name()))
                        .filter(i -> !(switchNsGoes && i.name().equals(marker))).toList();
                boolean groupIsOurs = root.interfaces().values().stream().filter(i -> i.group() == group)
                        .allMatch(i -> Marks.ours(i.alias(), token, node) && !desiredRoot.contains(i.name()));
                boolean anyInGroup = root.interfaces().values().stream().anyMatch(i -> i.group() == group);
                if (doomed.size() > 1 && groupIsOurs && anyInGroup) {
                    actions.add(new Action.LinkGroupDel("links", group));
                    doomed = doomed.stream().filter(i -> i.group() != group).toList();
                }
                // deleting one end of a pair takes the other with it; deleting a device already gone is harmless
                for (Interface i : doomed) {
                    {
                        String logical = KernelNames.parseIfalias(i.alias()).logical();
                        actions.add(new LinkDel("links/" + logical, null, i.name()));
                    }
                }
            }
        }

        /** Marked interfaces inside planned namespaces that no longer belong there. */
        void removeUnwanted() {
            for (String ns : wantedNetns) {
                if (freshNetns.contains(ns) || brokenHosts.contains(ns)) {
                    continue;
                }
                Namespace n = obs.ns(ns);
                if (n == null) {
                    continue;
                }
                Set<String> wanted = wantedDevices.getOrDefault(ns, Set.of());
                for (Interface i : n.interfaces().values()) {
                    if (!"lo".equals(i.name()) && Marks.ours(i.alias(), token, node) && !wanted.contains(i.name())) {
                        actions.add(new LinkDel("hosts/" + ns, ns, i.name()));
                    }
                }
            }
        }
    }
}
