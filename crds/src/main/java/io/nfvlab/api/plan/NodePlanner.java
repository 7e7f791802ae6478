package io.nfvlab.api.plan;

import io.nfvlab.api.common.Hashes;
import io.nfvlab.api.node.ArpEntry;
import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedContainer;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.DefaultRoute;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.expansion.TopologyGraph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a placed topology into one {@link NetworkNodeStateSpec} per node. Pure: every kernel name comes from
 * {@link KernelNames}; a link with both ends on one node is a veth pair, a link across nodes is a VXLAN endpoint on
 * each side carrying the same VNI.
 */
public final class NodePlanner {
    /** Outer Ethernet + IPv4 + UDP + VXLAN headers. */
    public static final int VXLAN_OVERHEAD = 50;
    public static final String NO_UNDERLAY = "NoUnderlayAddress";

    private NodePlanner() {
    }

    public static final String DPDK_BRIDGE_NOT_FOUND = "DpdkBridgeNotFound";
    public static final String NO_CONTAINER_RUNTIME = "NoContainerRuntime";

    /** Where a DpdkBridge is on its nodes: the OVS bridge an ovs-dpdk switch is, and the directory of its sockets. */
    public record DpdkBridgeTarget(String bridgeName, String socketDir) {
    }

    /**
     * @param dpdkBridges DpdkBridge object name → its bridge and socket directory, for ovs-dpdk switches
     */
    public record Settings(int vxlanPort, int underlayMtu, boolean staticArp, Map<String, DpdkBridgeTarget> dpdkBridges) {
        public static Settings defaults() {
            return new Settings(4789, 1500, false, Map.of());
        }

        public Settings withStaticArp(boolean arp) {
            return new Settings(vxlanPort, underlayMtu, arp, dpdkBridges);
        }

        public Settings withDpdkBridges(Map<String, DpdkBridgeTarget> bridges) {
            return new Settings(vxlanPort, underlayMtu, staticArp, bridges);
        }
    }

    /** The links that cross nodes under {@code placement}, by id. */
    public static List<String> crossNodeLinks(TopologyGraph graph, Map<String, String> placement) {
        return graph.links().stream()
                .filter(l -> crossesNodes(l, placement))
                .map(TopologyGraph.Link::id)
                .sorted()
                .toList();
    }

    private static boolean crossesNodes(TopologyGraph.Link l, Map<String, String> placement) {
        return !placement.get(l.a().node()).equals(placement.get(l.b().node()));
    }

    /**
     * One spec per node that got at least one item, sorted by node name.
     *
     * @param placement host/switch name → node (from {@link Placement})
     * @param nodes     the agent nodes by name (for underlay addresses)
     * @param vnis      VNI of each cross-node link id (from {@link VniAllocator})
     */
    public static Map<String, NetworkNodeStateSpec> plan(TopologyGraph graph, Map<String, String> placement, OwnerRef owner,
                                                         Map<String, AgentNode> nodes, Map<String, Integer> vnis,
                                                         Settings settings) {
        String token = owner.getToken();
        refuseContainerHostsWithoutRuntime(graph, placement, nodes);
        Map<String, NetworkNodeStateSpec.NetworkNodeStateSpecBuilder> builders = new TreeMap<>();
        for (String node : placement.values()) {
            builders.computeIfAbsent(node, n -> NetworkNodeStateSpec.builder().nodeName(n).owner(owner));
        }
        boolean crossesNodes = graph.links().stream().anyMatch(l -> crossesNodes(l, placement));
        int tunnelMtu = settings.underlayMtu() - VXLAN_OVERHEAD;

        Map<String, String> macs = hostMacs(graph, token, settings.staticArp());
        Map<String, String> defaultIntf = defaultInterfaces(graph);
        java.util.Set<String> containerHosts = new java.util.HashSet<>();
        graph.hosts().stream().filter(TopologyGraph.Host::isPod).forEach(h -> containerHosts.add(h.name()));
        for (TopologyGraph.Host h : graph.hosts()) {
            builders.get(placement.get(h.name())).host(onKubeletNode(plannedHost(graph, h, token, macs, defaultIntf),
                    owner, nodes.get(placement.get(h.name()))));
        }
        if (settings.staticArp()) {
            // every host once, on every node: the agent derives each of its hosts' entries from this table, so the
            // plan grows with hosts, not with their square
            List<ArpEntry> table = arpTable(graph, macs, defaultIntf);
            builders.values().forEach(b -> b.staticArp(table));
        }

        Map<String, String> bridgeOf = new HashMap<>();
        Map<String, String> socketDirOf = new HashMap<>();
        List<TopologyGraph.Switch> switches = graph.switches();
        for (int i = 0; i < switches.size(); i++) {
            TopologyGraph.Switch s = switches.get(i);
            String device = KernelNames.bridge(token, i);
            if (s.kind() == SwitchKind.OVS_DPDK) {
                DpdkBridgeTarget target = settings.dpdkBridges().get(s.bridgeRef());
                if (target == null) {
                    throw new PlacementException(DPDK_BRIDGE_NOT_FOUND, "switch " + s.name() + " lives on DpdkBridge "
                            + s.bridgeRef() + " (bridgeRef), which does not exist");
                }
                device = target.bridgeName();
                socketDirOf.put(s.name(), target.socketDir());
            }
            bridgeOf.put(s.name(), device);
            // Lombok names the singular adder "switch", which Java cannot call: add one-element lists instead
            builders.get(placement.get(s.name())).switches(List.of(PlannedSwitch.builder()
                    .name(s.name())
                    .kind(s.kind())
                    .device(device)
                    .stp(s.stp())
                    .controller(s.controller())
                    .dpdkBridge(s.bridgeRef())
                    .build()));
        }

        for (TopologyGraph.Link l : graph.links()) {
            LinkParams params = LinkParams.copyParams(l.params());
            if (crossesNodes && params.getMtu() == null) {
                // one L2 domain spans the tunnel: every interface must fit through it, or TCP stalls on full frames
                params.setMtu(tunnelMtu);
            }
            Endpoint a = endpoint(l.a(), l.index(), 'a', token, bridgeOf, macs, defaultIntf, containerHosts);
            Endpoint b = endpoint(l.b(), l.index(), 'b', token, bridgeOf, macs, defaultIntf, containerHosts);
            if (isVhostUserHost(graph, l.a().node())) {
                a = vhostUserEnd(a, b, socketDirOf.get(l.b().node()));
                b = b.toBuilder().device(a.getDevice()).build();
            } else if (isVhostUserHost(graph, l.b().node())) {
                b = vhostUserEnd(b, a, socketDirOf.get(l.a().node()));
                a = a.toBuilder().device(b.getDevice()).build();
            }
            String nodeA = placement.get(l.a().node());
            String nodeB = placement.get(l.b().node());
            if (nodeA.equals(nodeB)) {
                builders.get(nodeA).link(PlannedLink.builder().id(l.id()).a(a).b(b).params(params).build());
                continue;
            }
            Integer vni = vnis.get(l.id());
            if (vni == null) {
                throw new IllegalArgumentException("no VNI allocated for cross-node link " + l.id());
            }
            LinkParams tunnelParams = LinkParams.copyParams(params);
            tunnelParams.setMtu(Math.min(params.getMtu(), tunnelMtu));
            String addrA = underlay(nodes, nodeA);
            String addrB = underlay(nodes, nodeB);
            builders.get(nodeA).tunnel(tunnel(l, vni, addrA, addrB, nodeB, a, tunnelParams, settings));
            builders.get(nodeB).tunnel(tunnel(l, vni, addrB, addrA, nodeA, b, tunnelParams, settings));
        }

        Map<String, NetworkNodeStateSpec> result = new TreeMap<>();
        builders.forEach((node, b) -> result.put(node, b.build()));
        return result;
    }

    private static PlannedTunnel tunnel(TopologyGraph.Link l, int vni, String local, String remote, String peer,
                                        Endpoint end, LinkParams params, Settings settings) {
        return PlannedTunnel.builder()
                .id(l.id())
                .vni(vni)
                .localAddress(local)
                .remoteAddress(remote)
                .dstPort(settings.vxlanPort())
                .peerNode(peer)
                .endpoint(end)
                .params(params)
                .build();
    }

    private static boolean isVhostUserHost(TopologyGraph graph, String node) {
        return graph.host(node).map(TopologyGraph.Host::vhostUser).orElse(false);
    }

    /**
     * A vhostUser host's end: a dpdkvhostuserclient port on the switch's bridge, named as the switch end's veth would
     * have been, whose socket the DPDK application serves in the DpdkBridge's socket directory.
     */
    private static Endpoint vhostUserEnd(Endpoint host, Endpoint sw, String socketDir) {
        if (socketDir == null) {
            throw new IllegalArgumentException("vhostUser host " + host.getNode() + " links to " + sw.getNode()
                    + ", which is not an ovs-dpdk switch (the validator rejects this)");
        }
        return host.toBuilder().device(sw.getDevice()).netns(null).mac(null).bridge(sw.getBridge())
                .vhostUserSocket(socketDir + "/" + sw.getDevice() + ".sock").build();
    }

    private static String underlay(Map<String, AgentNode> nodes, String node) {
        AgentNode n = nodes.get(node);
        if (n == null || n.underlayAddress() == null) {
            throw new PlacementException(NO_UNDERLAY, "node " + node + " has neither the annotation nfvlab.io/underlay-ip "
                    + "nor an IPv4 InternalIP: VXLAN tunnels to it cannot be planned");
        }
        return n.underlayAddress();
    }

    private static Endpoint endpoint(TopologyGraph.Port port, int linkIndex, char side, String token,
                                     Map<String, String> bridgeOf, Map<String, String> macs, Map<String, String> defaultIntf,
                                     java.util.Set<String> containerHosts) {
        if (port.host()) {
            boolean isDefault = port.interfaceName().equals(defaultIntf.get(port.node()));
            return Endpoint.builder()
                    .node(port.node())
                    .interfaceName(port.interfaceName())
                    .device(containerHosts.contains(port.node()) ? port.containerDevice() : port.interfaceName())
                    .netns(KernelNames.hostNetns(token, port.node()))
                    .mac(interfaceMac(port.node(), port.interfaceName(), isDefault, containerHosts.contains(port.node()),
                            macs, token))
                    .build();
        }
        return Endpoint.builder()
                .node(port.node())
                .interfaceName(port.interfaceName())
                .device(KernelNames.linkEnd(token, linkIndex, side))
                .bridge(bridgeOf.get(port.node()))
                .build();
    }

    private static PlannedHost plannedHost(TopologyGraph graph, TopologyGraph.Host h, String token, Map<String, String> macs,
                                           Map<String, String> defaultIntf) {
        String first = defaultIntf.get(h.name());
        if (h.vhostUser()) {
            PlannedHost.PlannedHostBuilder b = PlannedHost.builder().name(h.name()).vhostUser(true);
            graph.ports(h.name()).stream()
                    .filter(TopologyGraph.Port::host)
                    .sorted(Comparator.comparingInt(TopologyGraph.Port::port))
                    .forEach(p -> b.interfaces(List.of(PlannedHost.PlannedInterface.builder().name(p.interfaceName()).build())));
            return b.build();
        }
        PlannedHost.PlannedHostBuilder b = PlannedHost.builder()
                .name(h.name())
                .netns(KernelNames.hostNetns(token, h.name()))
                .container(container(h));
        Map<String, String> deviceOf = new HashMap<>();
        graph.ports(h.name()).stream()
                .filter(p -> p.host() && p.node().equals(h.name()))
                .sorted(Comparator.comparingInt(TopologyGraph.Port::port))
                .forEach(p -> {
                    boolean isDefault = p.interfaceName().equals(first);
                    String device = h.isPod() ? p.containerDevice() : p.interfaceName();
                    deviceOf.put(p.interfaceName(), device);
                    deviceOf.put(device, device);
                    b.interfaces(List.of(PlannedHost.PlannedInterface.builder()
                            .name(device)
                            .address(isDefault ? h.ip() : null)
                            .mac(interfaceMac(h.name(), p.interfaceName(), isDefault, h.isPod(), macs, token))
                            .build()));
                });
        DefaultRoute route = DefaultRoute.parse(h.defaultRoute());
        if (first != null && (route != null || !h.isPod())) {
            // a container's own software routes: it gets a default route only when the spec asks for one
            String device = route == null || route.device() == null ? first : route.device();
            b.defaultRoute(deviceOf.getOrDefault(device, device));
            b.defaultGateway(route == null ? null : route.gateway());
        }
        return b.build();
    }

    /** The hosts that static ARP entries point to: those with an addressed interface and a MAC known in advance. */
    private static List<ArpEntry> arpTable(TopologyGraph graph, Map<String, String> macs, Map<String, String> defaultIntf) {
        List<ArpEntry> table = new ArrayList<>();
        for (TopologyGraph.Host h : graph.hosts()) {
            if (defaultIntf.containsKey(h.name()) && !h.vhostUser() && macs.get(h.name()) != null) {
                table.add(ArpEntry.builder().host(h.name()).address(h.address()).mac(macs.get(h.name())).build());
            }
        }
        return table;
    }

    /** A container host needs a node whose agent runs containers (it labels its node, see Nfvlab.CONTAINER_RUNTIME_LABEL). */
    private static void refuseContainerHostsWithoutRuntime(TopologyGraph graph, Map<String, String> placement,
                                                           Map<String, AgentNode> nodes) {
        for (TopologyGraph.Host h : graph.hosts()) {
            if (!h.isPod()) {
                continue;
            }
            String node = placement.get(h.name());
            AgentNode n = nodes.get(node);
            if (n == null || !n.labels().containsKey(io.nfvlab.api.Nfvlab.CONTAINER_RUNTIME_LABEL)) {
                throw new PlacementException(NO_CONTAINER_RUNTIME, "host " + h.name() + " is a container, and node " + node
                        + " has no container runtime for it (its agent labels a node " + io.nfvlab.api.Nfvlab.CONTAINER_RUNTIME_LABEL
                        + " when podman is there, or when it serves pods through the kubelet)");
            }
        }
    }

    /**
     * On a node whose container hosts are Pods (runtime {@value io.nfvlab.api.Nfvlab#KUBELET_RUNTIME}) the operator
     * creates the Pod of a templated host and the kubelet runs it: for the agent it is then a referenced pod like any
     * podRef, by the name the operator gives it.
     */
    private static PlannedHost onKubeletNode(PlannedHost h, OwnerRef owner, AgentNode node) {
        PlannedContainer c = h.getContainer();
        if (c == null || c.getTemplate() == null || node == null
                || !io.nfvlab.api.Nfvlab.KUBELET_RUNTIME.equals(node.labels().get(io.nfvlab.api.Nfvlab.CONTAINER_RUNTIME_LABEL))) {
            return h;
        }
        h.setContainer(PlannedContainer.builder().podRef(PodHostNames.podName(owner.getName(), owner.getToken(), h.getName())).build());
        return h;
    }

    private static PlannedContainer container(TopologyGraph.Host h) {
        if (!h.isPod()) {
            return null;
        }
        return PlannedContainer.builder().template(h.pod().getTemplate()).podRef(h.pod().getPodRef()).build();
    }

    /** Each host's default interface: its lowest-numbered port, as Mininet's defaultIntf. */
    private static Map<String, String> defaultInterfaces(TopologyGraph graph) {
        Map<String, TopologyGraph.Port> lowest = new HashMap<>();
        for (TopologyGraph.Link l : graph.links()) {
            for (TopologyGraph.Port p : List.of(l.a(), l.b())) {
                if (p.host()) {
                    lowest.merge(p.node(), p, (x, y) -> x.port() <= y.port() ? x : y);
                }
            }
        }
        Map<String, String> result = new HashMap<>();
        lowest.forEach((host, port) -> result.put(host, port.interfaceName()));
        return result;
    }

    /**
     * MACs of the hosts' default interfaces: the spec's (or autoMac's); with static ARP every host needs one known in
     * advance, and a container host keeps its interfaces across restarts of its container; the rest of those get a
     * stable locally administered MAC derived from the owner token and host name.
     *
     * <p>Why a container host's MAC must not change: its links are made anew in every new sandbox, and a neighbour
     * that still holds the old MAC ignores the new host's ARP for a second after its entry last changed
     * (net.ipv4.neigh.*.locktime), so its echoes went to a MAC no longer there and pingall counted loss that the
     * emulated network did not cause.
     */
    private static Map<String, String> hostMacs(TopologyGraph graph, String token, boolean staticArp) {
        Map<String, String> result = new HashMap<>();
        for (TopologyGraph.Host h : graph.hosts()) {
            if (h.vhostUser()) {
                continue; // the DPDK application picks its MAC
            }
            String mac = h.mac() != null ? h.mac() : staticArp || h.isPod() ? derivedMac(token, h.name()) : null;
            if (mac != null) {
                result.put(h.name(), mac);
            }
        }
        return result;
    }

    /**
     * The MAC of one host interface: its default interface's from {@link #hostMacs}; a container host's other
     * interfaces a derived one as well, for the same reason; null for the kernel to choose.
     */
    private static String interfaceMac(String host, String interfaceName, boolean isDefault, boolean containerHost,
                                       Map<String, String> macs, String token) {
        if (isDefault) {
            return macs.get(host);
        }
        return containerHost ? derivedMac(token, host + "/" + interfaceName) : null;
    }

    static String derivedMac(String token, String host) {
        byte[] d = Hashes.sha256(token + "/" + host);
        StringBuilder sb = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            sb.append(':').append(String.format("%02x", d[i] & 0xff));
        }
        return sb.toString();
    }
}
