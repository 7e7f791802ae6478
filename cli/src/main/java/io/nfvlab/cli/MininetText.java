package io.nfvlab.cli;

import io.nfvlab.api.expansion.TopologyGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Mininet's {@code nodes}, {@code net}, {@code intfs}, {@code links} and {@code dump} print, as text (tables
 * where Mininet's output is a list) and as plain data for {@code -o json|yaml}.
 */
public final class MininetText {
    private MininetText() {
    }

    public static String nodes(TopologyView v) {
        Table t = new Table("NAME", "TYPE", "NODE", "IP", "MAC", "NAMESPACE/DEVICE");
        for (TopologyGraph.Host h : v.graph().hosts()) {
            TopologyView.Placed p = v.placement(h.name()).orElse(null);
            t.row(h.name(), h.vhostUser() ? "vhost-user" : "host", p == null ? "" : p.node(), h.vhostUser() ? "" : h.ip(),
                    h.mac() != null ? h.mac() : p == null ? "" : p.mac(), p == null ? "" : p.netns());
        }
        for (TopologyGraph.Switch s : v.graph().switches()) {
            TopologyView.Placed p = v.placement(s.name()).orElse(null);
            t.row(s.name(), s.kind().wireName(), p == null ? "" : p.node(), "", "", p == null ? "" : p.device());
        }
        return t.render();
    }

    public static List<Map<String, Object>> nodesData(TopologyView v) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (TopologyGraph.Host h : v.graph().hosts()) {
            TopologyView.Placed p = v.placement(h.name()).orElse(null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", h.name());
            m.put("type", h.vhostUser() ? "vhost-user" : "host");
            m.put("node", p == null ? null : p.node());
            m.put("ip", h.ip());
            m.put("mac", h.mac() != null ? h.mac() : p == null ? null : p.mac());
            m.put("netns", p == null ? null : p.netns());
            list.add(m);
        }
        for (TopologyGraph.Switch s : v.graph().switches()) {
            TopologyView.Placed p = v.placement(s.name()).orElse(null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("type", s.kind().wireName());
            m.put("node", p == null ? null : p.node());
            m.put("device", p == null ? null : p.device());
            list.add(m);
        }
        return list;
    }

    /** Mininet's {@code net}: each node with its interfaces and what they connect to. */
    public static String net(TopologyView v) {
        StringBuilder sb = new StringBuilder();
        for (TopologyGraph.Host h : v.graph().hosts()) {
            sb.append(h.name());
            for (TopologyView.Port p : v.ports(h.name())) {
                sb.append(' ').append(p.self().interfaceName()).append(':').append(p.peer().interfaceName());
            }
            sb.append('\n');
        }
        for (TopologyGraph.Switch s : v.graph().switches()) {
            sb.append(s.name()).append(" lo: ");
            for (TopologyView.Port p : v.ports(s.name())) {
                sb.append(' ').append(p.self().interfaceName()).append(':').append(p.peer().interfaceName());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    public static Map<String, List<Map<String, String>>> netData(TopologyView v) {
        Map<String, List<Map<String, String>>> data = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(v.hostNames());
        v.graph().switches().forEach(s -> names.add(s.name()));
        for (String n : names) {
            List<Map<String, String>> ports = new ArrayList<>();
            for (TopologyView.Port p : v.ports(n)) {
                ports.add(Map.of("interface", p.self().interfaceName(), "peer", p.peer().interfaceName()));
            }
            data.put(n, ports);
        }
        return data;
    }

    /** Mininet's {@code intfs}: "h1: h1-eth0", "s1: lo,s1-eth1,s1-eth2". */
    public static String intfs(TopologyView v) {
        StringBuilder sb = new StringBuilder();
        intfsData(v).forEach((node, intfs) -> sb.append(node).append(": ").append(String.join(",", intfs)).append('\n'));
        return sb.toString();
    }

    public static Map<String, List<String>> intfsData(TopologyView v) {
        Map<String, List<String>> data = new LinkedHashMap<>();
        for (TopologyGraph.Host h : v.graph().hosts()) {
            data.put(h.name(), v.ports(h.name()).stream().map(p -> p.self().interfaceName()).toList());
        }
        for (TopologyGraph.Switch s : v.graph().switches()) {
            List<String> intfs = new ArrayList<>();
            intfs.add("lo");
            v.ports(s.name()).forEach(p -> intfs.add(p.self().interfaceName()));
            data.put(s.name(), intfs);
        }
        return data;
    }

    /** Mininet's {@code links}: "h1-eth0<->s1-eth1" with the state and TCLink parameters. */
    public static String links(TopologyView v) {
        Table t = new Table("LINK", "STATE", "PARAMS");
        for (TopologyGraph.Link l : v.graph().links()) {
            t.row(l.a().interfaceName() + "<->" + l.b().interfaceName(), TopologyView.state(l.params()),
                    TopologyView.describe(l.params()));
        }
        return t.render();
    }

    public static List<Map<String, Object>> linksData(TopologyView v) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (TopologyGraph.Link l : v.graph().links()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", l.a().interfaceName());
            m.put("b", l.b().interfaceName());
            m.put("state", TopologyView.state(l.params()));
            m.put("params", l.params());
            list.add(m);
        }
        return list;
    }

    /** Mininet's {@code dump}: "<Host h1: h1-eth0:10.0.0.1 netns=… node=…>". */
    public static String dump(TopologyView v) {
        StringBuilder sb = new StringBuilder();
        for (TopologyGraph.Host h : v.graph().hosts()) {
            TopologyView.Placed p = v.placement(h.name()).orElse(null);
            List<String> intfs = new ArrayList<>();
            boolean first = true;
            for (TopologyView.Port port : v.ports(h.name())) {
                intfs.add(port.self().interfaceName() + ":" + (first ? h.address() : "None"));
                first = false;
            }
            sb.append("<Host ").append(h.name()).append(": ").append(String.join(",", intfs))
                    .append(" netns=").append(p == null ? "?" : p.netns())
                    .append(" node=").append(p == null ? "?" : p.node()).append(">\n");
        }
        for (TopologyGraph.Switch s : v.graph().switches()) {
            TopologyView.Placed p = v.placement(s.name()).orElse(null);
            List<String> intfs = new ArrayList<>();
            intfs.add("lo:127.0.0.1");
            v.ports(s.name()).forEach(port -> intfs.add(port.self().interfaceName() + ":None"));
            sb.append('<').append(switchClass(s)).append(' ').append(s.name()).append(": ").append(String.join(",", intfs))
                    .append(" device=").append(p == null ? "?" : p.device())
                    .append(" node=").append(p == null ? "?" : p.node()).append(">\n");
        }
        return sb.toString();
    }

    private static String switchClass(TopologyGraph.Switch s) {
        return switch (s.kind()) {
            case LINUX_BRIDGE -> "LinuxBridge";
            case OVS -> "OVSSwitch";
            case OVS_DPDK -> "OVSDpdkSwitch";
        };
    }
}
