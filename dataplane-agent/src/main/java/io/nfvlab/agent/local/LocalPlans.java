package io.nfvlab.agent.local;

import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.Nfvlab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a whole topology onto one node with the naming scheme of {@link KernelNames}, for the agent's own tests,
 * benchmarks and single-node runs without an operator. (The operator's planner is the one that places topologies
 * across nodes.)
 */
public final class LocalPlans {
    private LocalPlans() {
    }

    /** Where a DpdkBridge is on this node: its OVS bridge and the directory of its vhost-user sockets. */
    public record DpdkBridgeOnNode(String bridgeName, String socketDir) {
    }

    /** A NetworkNodeState for {@code name} (its token derived from it) holding the whole expanded topology. */
    public static NetworkNodeState state(String name, String node, VirtualTopologySpec topology) {
        return state(name, node, topology, Map.of());
    }

    /** As {@link #state(String, String, VirtualTopologySpec)}, with the DpdkBridges its ovs-dpdk switches live on, by name. */
    public static NetworkNodeState state(String name, String node, VirtualTopologySpec topology,
                                         Map<String, DpdkBridgeOnNode> dpdkBridges) {
        String token = KernelNames.token("VirtualTopology", "default", name);
        NetworkNodeState s = new NetworkNodeState();
        s.getMetadata().setName(KernelNames.nodeStateName("VirtualTopology", "default", name, node));
        s.getMetadata().setLabels(new HashMap<>(Map.of(Nfvlab.NODE_LABEL, node)));
        s.setSpec(spec(token, node, name, TopologyExpander.expand(topology), Boolean.TRUE.equals(topology.getStaticArp()),
                dpdkBridges));
        return s;
    }

    public static NetworkNodeStateSpec spec(String token, String node, String owner, TopologyGraph g, boolean staticArp) {
        return spec(token, node, owner, g, staticArp, Map.of());
    }

    public static NetworkNodeStateSpec spec(String token, String node, String owner, TopologyGraph g, boolean staticArp,
                                            Map<String, DpdkBridgeOnNode> dpdkBridges) {
        NetworkNodeStateSpec spec = new NetworkNodeStateSpec();
        spec.setNodeName(node);
        spec.setOwner(OwnerRef.builder().kind("VirtualTopology").namespace("default").name(owner).token(token).generation(1L).build());
        Map<String, String> bridgeOf = new HashMap<>();
        Map<String, SwitchKind> kindOf = new HashMap<>();
        List<PlannedSwitch> switches = new ArrayList<>();
        Map<String, String> socketDirOf = new HashMap<>();
        for (int i = 0; i < g.switches().size(); i++) {
            TopologyGraph.Switch s = g.switches().get(i);
            DpdkBridgeOnNode dpdk = s.kind() == SwitchKind.OVS_DPDK ? dpdkBridges.get(s.bridgeRef()) : null;
            String dev = dpdk != null ? dpdk.bridgeName() : KernelNames.bridge(token, i);
            bridgeOf.put(s.name(), dev);
            kindOf.put(s.name(), s.kind());
            if (dpdk != null) {
                socketDirOf.put(s.name(), dpdk.socketDir());
            }
            switches.add(PlannedSwitch.builder().name(s.name()).kind(s.kind()).device(dev).stp(s.stp())
                    .controller(s.controller()).dpdkBridge(s.kind() == SwitchKind.OVS_DPDK ? s.bridgeRef() : null).build());
        }
        Map<String, PlannedHost.PlannedHostBuilder> hosts = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (TopologyGraph.Host h : g.hosts()) {
            hosts.put(h.name(), h.vhostUser() ? PlannedHost.builder().name(h.name()).vhostUser(true)
                    : PlannedHost.builder().name(h.name()).netns(KernelNames.hostNetns(token, h.name())));
            order.add(h.name());
        }
        List<PlannedLink> links = new ArrayList<>();
        for (TopologyGraph.Link l : g.links()) {
            Endpoint a = end(token, g, l, l.a(), 'a', bridgeOf);
            Endpoint b = end(token, g, l, l.b(), 'b', bridgeOf);
            if (g.host(l.a().node()).map(TopologyGraph.Host::vhostUser).orElse(false)) {
                a = vhostUserEnd(a, b, socketDirOf.get(l.b().node()));
                b = b.toBuilder().device(a.getDevice()).build();
            } else if (g.host(l.b().node()).map(TopologyGraph.Host::vhostUser).orElse(false)) {
                b = vhostUserEnd(b, a, socketDirOf.get(l.a().node()));
                a = a.toBuilder().device(b.getDevice()).build();
            }
            links.add(PlannedLink.builder().id(l.id()).a(a).b(b).params(l.params()).build());
            for (TopologyGraph.Port p : List.of(l.a(), l.b())) {
                if (p.host() && g.host(p.node()).orElseThrow().vhostUser()) {
                    hosts.get(p.node()).interfaces(List.of(PlannedHost.PlannedInterface.builder().name(p.interfaceName()).build()));
                } else if (p.host()) {
                    TopologyGraph.Host h = g.host(p.node()).orElseThrow();
                    PlannedHost.PlannedHostBuilder hb = hosts.get(h.name());
                    boolean first = hb.build().interfacesOrEmpty().isEmpty();
                    hb.interfaces(List.of(PlannedHost.PlannedInterface.builder().name(p.interfaceName())
                            .address(first ? h.ip() : null).mac(first ? h.mac() : null).build()));
                    if (first) {
                        hb.defaultRoute(h.defaultRoute() != null ? h.defaultRoute() : p.interfaceName());
                    }
                }
            }
        }
        List<PlannedHost> planned = new ArrayList<>();
        for (String name : order) {
            planned.add(hosts.get(name).build());
        }
        if (staticArp) {
            List<PlannedHost> withArp = new ArrayList<>();
            for (PlannedHost h : planned) {
                PlannedHost.PlannedHostBuilder b = h.toBuilder();
                String dev = h.interfacesOrEmpty().isEmpty() || h.isVhostUserHost() ? null : h.interfacesOrEmpty().get(0).getName();
                for (PlannedHost o : planned) {
                    if (o != h && dev != null && !o.interfacesOrEmpty().isEmpty() && o.interfacesOrEmpty().get(0).getMac() != null) {
                        String ip = o.interfacesOrEmpty().get(0).getAddress();
                        b.arp(PlannedHost.ArpEntry.builder().address(ip.substring(0, ip.indexOf('/')))
                                .mac(o.interfacesOrEmpty().get(0).getMac()).interfaceName(dev).build());
                    }
                }
                withArp.add(b.build());
            }
            planned = withArp;
        }
        spec.setHosts(planned);
        spec.setSwitches(switches);
        spec.setLinks(links);
        return spec;
    }

    /** A vhostUser host's end: the OVS port of the switch end's name, its socket in the DpdkBridge's directory. */
    private static Endpoint vhostUserEnd(Endpoint host, Endpoint sw, String socketDir) {
        String port = sw.getDevice();
        return host.toBuilder().device(port).netns(null).bridge(sw.getBridge())
                .vhostUserSocket((socketDir == null ? "/var/run/nfvlab/dpdk/" + sw.getBridge() : socketDir) + "/" + port + ".sock")
                .build();
    }

    private static Endpoint end(String token, TopologyGraph g, TopologyGraph.Link l, TopologyGraph.Port p, char side,
                                Map<String, String> bridgeOf) {
        if (p.host()) {
            TopologyGraph.Host h = g.host(p.node()).orElseThrow();
            return Endpoint.builder().node(p.node()).interfaceName(p.interfaceName()).device(p.interfaceName())
                    .netns(KernelNames.hostNetns(token, h.name())).build();
        }
        return Endpoint.builder().node(p.node()).interfaceName(p.interfaceName())
                .device(KernelNames.linkEnd(token, l.index(), side)).bridge(bridgeOf.get(p.node())).build();
    }
}
