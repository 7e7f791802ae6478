package io.nfvlab.agent.dataplane.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.agent.dataplane.Action;
import io.nfvlab.agent.dataplane.Action.*;
import io.nfvlab.agent.dataplane.BatchResult;
import io.nfvlab.agent.dataplane.LinkOps;
import io.nfvlab.agent.dataplane.Observed;
import io.nfvlab.agent.exec.CommandRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code ip} in batch mode; reading host namespaces through {@code netns exec} lines of one batch. */
final class LinuxLinkOps implements LinkOps {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private final String nodeNetns;

    LinuxLinkOps(String nodeNetns) {
        this.nodeNetns = nodeNetns;
    }

    @Override
    public Map<String, Observed.Namespace> observe(Collection<String> hostNetns, boolean withQdiscs) {
        Map<String, Observed.Namespace> out = new HashMap<>();
        String links = CommandRunner.run(LinuxKernel.ip(nodeNetns, "-j", "-d", "-s", "addr", "show"), TIMEOUT).orThrow().stdout();
        List<String> tc = new ArrayList<>();
        if (nodeNetns != null) {
            tc.addAll(List.of("tc", "-n", nodeNetns, "-j", "qdisc", "show"));
        } else {
            tc.addAll(List.of("tc", "-j", "qdisc", "show"));
        }
        String qdiscs = CommandRunner.run(tc, TIMEOUT).orThrow().stdout();
        out.put(Observed.ROOT, namespace(Observed.ROOT, parse(links), parse(qdiscs), JSON.createArrayNode(), JSON.createArrayNode()));
        if (hostNetns.isEmpty()) {
            return out;
        }
        // one ip process forks the readers in every namespace; "@@NS" lines separate their outputs
        StringBuilder batch = new StringBuilder();
        for (String ns : hostNetns) {
            batch.append("netns exec ").append(ns).append(" echo @@").append(ns).append('\n');
            batch.append("netns exec ").append(ns).append(" ip -j -d addr show\n");
            batch.append("netns exec ").append(ns).append(" ip -j route show default\n");
            batch.append("netns exec ").append(ns).append(" ip -j neigh show nud permanent\n");
            if (withQdiscs) {
                batch.append("netns exec ").append(ns).append(" tc -j qdisc show\n");
            }
        }
        CommandRunner.Result r = CommandRunner.run(List.of("ip", "-force", "-batch", "-"), batch.toString(), TIMEOUT);
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : (r.stdout() + "\n@@").split("\n")) {
            if (line.startsWith("@@")) {
                if (current != null) {
                    Observed.Namespace ns = hostNamespace(current, body.toString(), withQdiscs);
                    if (ns != null) {
                        out.put(current, ns);
                    }
                }
                current = line.substring(2).strip();
                body.setLength(0);
            } else {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    private Observed.Namespace hostNamespace(String name, String body, boolean withQdiscs) {
        List<JsonNode> values = new ArrayList<>();
        // a root-level sequence of arrays (readValues would unwrap the first array instead)
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            while (p.nextToken() != null) {
                values.add(JSON.readTree(p));
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int expected = withQdiscs ? 4 : 3;
        if (values.size() != expected) {
            return null; // the namespace vanished while we read it
        }
        return namespace(name, values.get(0), withQdiscs ? values.get(3) : JSON.createArrayNode(), values.get(1), values.get(2));
    }

    static JsonNode parse(String text) {
        try {
            return text.isBlank() ? JSON.createArrayNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse ip/tc JSON output: " + e.getMessage(), e);
        }
    }

    private static Observed.Namespace namespace(String name, JsonNode links, JsonNode qdiscs, JsonNode routes, JsonNode neigh) {
        Map<String, Observed.Interface> ifs = new TreeMap<>();
        for (JsonNode l : links) {
            String ifname = l.path("ifname").asText();
            boolean up = false;
            for (JsonNode f : l.path("flags")) {
                up |= "UP".equals(f.asText());
            }
            Set<String> addrs = new HashSet<>();
            for (JsonNode a : l.path("addr_info")) {
                if ("inet".equals(a.path("family").asText())) {
                    addrs.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
                }
            }
            JsonNode info = l.path("linkinfo");
            String kind = info.hasNonNull("info_kind") ? info.get("info_kind").asText() : null;
            JsonNode data = info.path("info_data");
            Boolean stp = "bridge".equals(kind) && data.has("stp_state") ? data.get("stp_state").asInt() != 0 : null;
            Observed.Vxlan vx = "vxlan".equals(kind)
                    ? new Observed.Vxlan(data.path("id").asInt(), text(data, "local"), text(data, "remote"), data.path("port").asInt())
                    : null;
            JsonNode st = l.path("stats64");
            Observed.Counters c = st.isMissingNode() ? null : new Observed.Counters(
                    st.path("rx").path("bytes").asLong(), st.path("rx").path("packets").asLong(), st.path("rx").path("dropped").asLong(),
                    st.path("tx").path("bytes").asLong(), st.path("tx").path("packets").asLong(), st.path("tx").path("dropped").asLong());
            ifs.put(ifname, new Observed.Interface(ifname, kind, text(l, "ifalias"), l.path("mtu").asInt(), up,
                    text(l, "master"), text(l, "address"), addrs, stp, vx, c, group(l.path("group").asText())));
        }
        Map<String, String> roots = new TreeMap<>();
        Set<String> clsact = new HashSet<>();
        for (JsonNode q : qdiscs) {
            if (q.path("root").asBoolean(false)) {
                roots.put(q.path("dev").asText(), q.path("kind").asText());
            } else if ("clsact".equals(q.path("kind").asText())) {
                clsact.add(q.path("dev").asText());
            }
        }
        String route = null;
        for (JsonNode r : routes) {
            if ("default".equals(r.path("dst").asText())) {
                route = text(r, "dev");
            }
        }
        Set<Observed.Neigh> ns = new HashSet<>();
        for (JsonNode n : neigh) {
            if (n.hasNonNull("lladdr")) {
                ns.add(new Observed.Neigh(n.path("dev").asText(), n.path("dst").asText(), n.path("lladdr").asText().toLowerCase()));
            }
        }
        return new Observed.Namespace(name, ifs, roots, clsact, route, ns);
    }

    private static int group(String g) {
        try {
            return g.isEmpty() || "default".equals(g) ? 0 : Integer.parseInt(g);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    @Override
    public BatchResult apply(String netns, List<Action> actions) {
        IpBatch b = new IpBatch();
        for (Action a : actions) {
            render(b, a);
        }
        return b.run(LinuxKernel.ip(netns == null ? nodeNetns : netns, "-force", "-batch", "-"), TIMEOUT);
    }

    /**
     * One {@code ip -batch} in the root that, for each namespace, forks {@code netns exec NS ip -force -batch FILE}
     * on a file holding that namespace's lines: one exec per namespace instead of a JVM-spawned process each.
     * Children report failures as "Command failed FILE:LINE", which maps back to the action.
     */
    @Override
    public BatchResult applyInNamespaces(Map<String, List<Action>> byNetns) {
        if (byNetns.size() <= 2) {
            return LinkOps.super.applyInNamespaces(byNetns);
        }
        java.nio.file.Path dir = null;
        try {
            dir = java.nio.file.Files.createTempDirectory("nfvlab-ns-batch");
            List<BatchResult.Failure> failures = new ArrayList<>();
            Map<String, IpBatch> batches = new HashMap<>();
            StringBuilder outer = new StringBuilder();
            int i = 0;
            for (Map.Entry<String, List<Action>> e : byNetns.entrySet()) {
                IpBatch b = new IpBatch();
                e.getValue().forEach(a -> render(b, a));
                failures.addAll(b.rejected());
                if (b.lines().isEmpty()) continue;
                java.nio.file.Path file = dir.resolve("ns" + (i++));
                StringBuilder text = new StringBuilder();
                b.lines().forEach(l -> text.append(l.text()).append('\n'));
                java.nio.file.Files.writeString(file, text);
                batches.put(file.toString(), b);
                if (!e.getKey().matches("[A-Za-z0-9._-]+")) {
                    failures.addAll(BatchResult.allFailed(e.getValue(), "invalid namespace name").failures());
                    continue;
                }
                outer.append("netns exec ").append(e.getKey()).append(" ip -force -batch ").append(file).append('\n');
            }
            CommandRunner.Result r = CommandRunner.run(List.of("ip", "-force", "-batch", "-"), outer.toString(), TIMEOUT);
            java.util.regex.Matcher m;
            String previous = "";
            for (String err : r.stderr().split("\n")) {
                m = java.util.regex.Pattern.compile("Command failed (\\S+):(\\d+)").matcher(err);
                if (m.find() && batches.containsKey(m.group(1))) {
                    IpBatch b = batches.get(m.group(1));
                    int n = Integer.parseInt(m.group(2)) - 1;
                    if (n >= 0 && n < b.lines().size() && !b.lines().get(n).ignoreFailure()) {
                        failures.add(new BatchResult.Failure(b.lines().get(n).action(), "ip " + b.lines().get(n).text() + ": " + previous.strip()));
                    }
                    previous = "";
                } else if (m.find() || err.contains("Command failed -:")) {
                    previous = "";
                } else if (!err.isBlank()) {
                    previous = err;
                }
            }
            return new BatchResult(failures);
        } catch (java.io.IOException e) {
            return LinkOps.super.applyInNamespaces(byNetns);
        } finally {
            if (dir != null) {
                try (var files = java.nio.file.Files.list(dir)) {
                    for (java.nio.file.Path f : files.toList()) java.nio.file.Files.deleteIfExists(f);
                    java.nio.file.Files.deleteIfExists(dir);
                } catch (java.io.IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    static void render(IpBatch b, Action a) {
        if (a instanceof VethAdd x) {
            List<String> w = new ArrayList<>(List.of("link", "add", x.a().name()));
            end(w, x.a());
            w.addAll(List.of("type", "veth", "peer", "name", x.b().name()));
            end(w, x.b());
            b.add(a, w.toArray(String[]::new));
        } else if (a instanceof VxlanAdd x) {
            List<String> w = new ArrayList<>(List.of("link", "add", x.device()));
            if (x.netns() != null) w.addAll(List.of("netns", x.netns()));
            if (x.mtu() != null) w.addAll(List.of("mtu", String.valueOf(x.mtu())));
            if (x.group() != 0) w.addAll(List.of("group", String.valueOf(x.group())));
            w.addAll(List.of("type", "vxlan", "id", String.valueOf(x.vni()), "local", x.local(), "remote", x.remote(),
                    "dstport", String.valueOf(x.dstPort())));
            b.add(a, w.toArray(String[]::new));
        } else if (a instanceof Action.LinkGroupDel x) {
            if (x.group() == 0) throw new IllegalArgumentException("refusing to delete interface group 0");
            b.add(a, true, "link", "del", "group", String.valueOf(x.group()));
        } else if (a instanceof LinkDel x) {
            b.add(a, true, "link", "del", "dev", x.device());
        } else if (a instanceof LinkSet x) {
            List<String> w = new ArrayList<>(List.of("link", "set", "dev", x.device()));
            if (x.mac() != null) w.addAll(List.of("address", x.mac()));
            if (x.mtu() != null) w.addAll(List.of("mtu", String.valueOf(x.mtu())));
            if (x.master() != null) {
                if (x.master().isEmpty()) w.add("nomaster");
                else w.addAll(List.of("master", x.master()));
            }
            if (x.alias() != null) w.addAll(List.of("alias", x.alias()));
            if (x.up() != null) w.add(x.up() ? "up" : "down");
            b.add(a, w.toArray(String[]::new));
        } else if (a instanceof MarkSet x) {
            b.add(a, "link", "set", "dev", x.device(), "alias", x.alias());
        } else if (a instanceof AddrAdd x) {
            b.add(a, "addr", "add", x.cidr(), "dev", x.device());
        } else if (a instanceof AddrDel x) {
            b.add(a, true, "addr", "del", x.cidr(), "dev", x.device());
        } else if (a instanceof RouteDefault x) {
            b.add(a, "route", "replace", "default", "dev", x.device());
        } else if (a instanceof NeighSet x) {
            b.add(a, "neigh", "replace", x.address(), "lladdr", x.mac(), "dev", x.device(), "nud", "permanent");
        } else if (a instanceof BridgeAdd x) {
            b.add(a, "link", "add", x.device(), "group", String.valueOf(x.group()), "type", "bridge", "stp_state", x.stp() ? "1" : "0");
            b.add(a, "link", "set", "dev", x.device(), "alias", x.alias(), "up");
        } else if (a instanceof BridgeSetStp x) {
            b.add(a, "link", "set", "dev", x.device(), "type", "bridge", "stp_state", x.stp() ? "1" : "0");
        } else {
            throw new IllegalArgumentException("not an ip action: " + a.type());
        }
    }

    private static void end(List<String> w, End e) {
        if (e.netns() != null) w.addAll(List.of("netns", e.netns()));
        if (e.mac() != null) w.addAll(List.of("address", e.mac()));
        if (e.mtu() != null) w.addAll(List.of("mtu", String.valueOf(e.mtu())));
        if (e.group() != 0) w.addAll(List.of("group", String.valueOf(e.group())));
    }
}
