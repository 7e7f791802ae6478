package io.nfvlab.agent.kernel.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.*;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.LinkOps;
import io.nfvlab.agent.kernel.Observed;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code ip} in batch mode; reading host namespaces through {@code netns exec} lines of one batch. */
final class LinuxLinkOps implements LinkOps {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Processes in flight at once: enough to overlap their start-up on a small node, not so many that they thrash. */
    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "nfvlab-ip");
                t.setDaemon(true);
                return t;
            });
    private final String nodeNetns;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinuxLinkOps.class);

    LinuxLinkOps(String nodeNetns) {
        this.nodeNetns = nodeNetns;
    }

    /** Every namespace over its own netlink socket (no process), several at a time; qdiscs, where asked for, through tc. */
    @Override
    public Map<String, Observed.Namespace> observe(Collection<String> hostNetns, boolean withQdiscs) {
        return observe(hostNetns, () -> read(nodeNetns, Observed.ROOT, true), ns -> read(ns, ns, withQdiscs));
    }

    /**
     * One link dump per namespace, the node's too, instead of four dumps and the qdiscs: a teardown decides by marks,
     * groups and names alone, and reads this for every one of its (up to 10,000) namespaces.
     */
    @Override
    public Map<String, Observed.Namespace> observeInterfaces(Collection<String> hostNetns) {
        return observe(hostNetns, () -> NetlinkNamespace.observeLinks(nodeNetns, Observed.ROOT), ns -> NetlinkNamespace.observeLinks(ns, ns));
    }

    @Override
    public int linksAwaitingService(String netns) {
        try {
            return NetlinkNamespace.vethsAwaitingService(netns == null ? nodeNetns : netns);
        } catch (IOException e) {
            // a namespace that is gone has nothing to wait for; the next sync reports what is missing
            return 0;
        }
    }

    private interface RootReader {
        Observed.Namespace read() throws IOException;
    }

    private interface NamespaceReader {
        Observed.Namespace read(String netns) throws IOException;
    }

    private Map<String, Observed.Namespace> observe(Collection<String> hostNetns, RootReader root, NamespaceReader reader) {
        Map<String, Observed.Namespace> out = new HashMap<>();
        try {
            out.put(Observed.ROOT, root.read());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the node's interfaces: " + e.getMessage(), e);
        }
        List<java.util.concurrent.Future<Observed.Namespace>> futures = new ArrayList<>();
        for (String ns : hostNetns) {
            futures.add(POOL.submit(() -> {
                try {
                    return reader.read(ns);
                } catch (IOException e) {
                    return null; // the namespace vanished while we read it
                }
            }));
        }
        for (var f : futures) {
            try {
                Observed.Namespace n = f.get();
                if (n != null) {
                    out.put(n.name(), n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading namespaces", e);
            } catch (java.util.concurrent.ExecutionException e) {
                // a namespace that vanished while being read is simply not there
            }
        }
        return out;
    }

    /** In the real root, sysfs answers without a netlink dump (its view is the root's: mounted there). */
    @Override
    public boolean exists(String netns, String device) {
        if (netns == null && nodeNetns == null) {
            return java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", device));
        }
        return LinkOps.super.exists(netns, device);
    }

    private static Observed.Namespace read(String netns, String name, boolean withQdiscs) throws IOException {
        return NetlinkNamespace.observe(netns, name, withQdiscs);
    }

    static JsonNode parse(String text) {
        try {
            return text.isBlank() ? JSON.createArrayNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse ip/tc JSON output: " + e.getMessage(), e);
        }
    }

    @Override
    public BatchResult apply(String netns, List<Action> actions) {
        IpBatch b = new IpBatch();
        for (Action a : actions) {
            render(b, a);
        }
        return b.run(LinuxKernel.ip(netns == null ? nodeNetns : netns, "-force", "-batch", "-"), TIMEOUT);
    }

    /** Each namespace over its own netlink socket, several at a time (an {@code ip} process each cost 5 ms). */
    @Override
    public BatchResult applyInNamespaces(Map<String, List<Action>> byNetns) {
        List<java.util.concurrent.Future<BatchResult>> futures = new ArrayList<>();
        for (Map.Entry<String, List<Action>> e : byNetns.entrySet()) {
            String ns = e.getKey() == null || e.getKey().isEmpty() ? nodeNetns : e.getKey();
            futures.add(POOL.submit(() -> {
                long t0 = System.nanoTime();
                BatchResult res = NetlinkNamespace.apply(ns, e.getValue());
                if (LOG.isDebugEnabled() && e.getValue().size() > 20) {
                    LOG.debug("netlink {}: {} actions in {} ms", ns, e.getValue().size(), (System.nanoTime() - t0) / 1_000_000);
                }
                return res;
            }));
        }
        BatchResult r = BatchResult.OK;
        int i = 0;
        for (Map.Entry<String, List<Action>> e : byNetns.entrySet()) {
            try {
                r = r.plus(futures.get(i++).get());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while applying", ex);
            } catch (java.util.concurrent.ExecutionException ex) {
                r = r.plus(BatchResult.allFailed(e.getValue(), String.valueOf(ex.getCause())));
            }
        }
        return r;
    }

    static void render(IpBatch b, Action a) {
        if (a instanceof VethAdd x) {
            List<String> w = new ArrayList<>(List.of("link", "add", x.a().name()));
            end(w, x.a());
            w.addAll(List.of("type", "veth", "peer", "name", x.b().name()));
            end(w, x.b());
            b.add(a, w.toArray(String[]::new));
            // a switch port carries no address of its own (see NetlinkNamespace for why automatic IPv6 ones cost so much)
            for (End e : List.of(x.a(), x.b())) {
                if (e.netns() == null) {
                    b.add(a, "link", "set", "dev", e.name(), "addrgenmode", "none");
                }
            }
        } else if (a instanceof VxlanAdd x) {
            List<String> w = new ArrayList<>(List.of("link", "add", x.device()));
            if (x.netns() != null) w.addAll(List.of("netns", x.netns()));
            if (x.mtu() != null) w.addAll(List.of("mtu", String.valueOf(x.mtu())));
            if (x.group() != 0) w.addAll(List.of("group", String.valueOf(x.group())));
            w.addAll(List.of("type", "vxlan", "id", String.valueOf(x.vni()), "local", x.local(), "remote", x.remote(),
                    "dstport", String.valueOf(x.dstPort())));
            b.add(a, w.toArray(String[]::new));
            if (x.netns() == null) {
                b.add(a, "link", "set", "dev", x.device(), "addrgenmode", "none");
            }
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
        } else if (a instanceof Action.RouteDefaultVia x) {
            b.add(a, "route", "replace", "default", "via", x.gateway(), "dev", x.device());
        } else if (a instanceof NeighSet x) {
            b.add(a, "neigh", "replace", x.address(), "lladdr", x.mac(), "dev", x.device(), "nud", "permanent");
        } else if (a instanceof BridgeAdd x) {
            b.add(a, "link", "add", x.device(), "group", String.valueOf(x.group()), "type", "bridge", "stp_state", x.stp() ? "1" : "0");
            b.add(a, "link", "set", "dev", x.device(), "addrgenmode", "none");
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
