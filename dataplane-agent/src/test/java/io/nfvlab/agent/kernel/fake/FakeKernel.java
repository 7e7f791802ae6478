package io.nfvlab.agent.kernel.fake;

import io.nfvlab.agent.kernel.Action;
import io.nfvlab.agent.kernel.Action.*;
import io.nfvlab.agent.kernel.BatchResult;
import io.nfvlab.agent.kernel.BridgeOps;
import io.nfvlab.agent.kernel.KernelOps;
import io.nfvlab.agent.kernel.LinkOps;
import io.nfvlab.agent.kernel.NetnsOps;
import io.nfvlab.agent.kernel.Observed;
import io.nfvlab.agent.kernel.OvsOps;
import io.nfvlab.agent.kernel.ShapingOps;
import io.nfvlab.agent.kernel.shaping.DelayLine;
import io.nfvlab.agent.kernel.shaping.RelayKey;
import io.nfvlab.api.Nfvlab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory kernel and OVS with the semantics the agent relies on: deleting a namespace deletes its interfaces
 * and the peers of its veths; deleting a veth end deletes its peer; names are unique per namespace. Every batch it
 * executes is counted, so tests can check that a second sync changes nothing.
 */
public final class FakeKernel implements NetnsOps, LinkOps, BridgeOps, ShapingOps, OvsOps, io.nfvlab.agent.kernel.RelayOps {
    /** A fake interface; {@code peer} is "ns/name" of the other end of a veth. */
    public static final class Iface {
        public String name;
        public String kind;
        public String alias;
        public int mtu = 1500;
        public boolean up;
        public String master;
        public String mac;
        public final Set<String> addresses = new LinkedHashSet<>();
        public Boolean stp;
        public Observed.Vxlan vxlan;
        public String peer;
        public String qdisc;
        public boolean clsact;
        public boolean txOffload = true;
        public int group;
    }

    private static final String ROOT = Observed.ROOT;

    private final Set<String> netns = new TreeSet<>();
    private final Map<String, Map<String, Iface>> ifaces = new HashMap<>();
    private final Map<String, String> routes = new HashMap<>();
    private final Map<String, Set<Observed.Neigh>> neighbours = new HashMap<>();
    private final Map<String, Observed.OvsBridge> ovsBridges = new TreeMap<>();
    private final Map<String, Observed.OvsPort> ovsPorts = new TreeMap<>();
    /** dpdkvhostuserclient ports: port → the socket OVS connects to. */
    private final Map<String, String> vhostUserSockets = new TreeMap<>();
    private final AtomicInteger macs = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private boolean ovsAvailable = true;
    private final Map<RelayKey, DelayLine> relays = new HashMap<>();

    @Override
    public Map<RelayKey, io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops> queueDrops() {
        return Map.of();   // no frames pass through the fake's delay lines
    }

    @Override
    public long byteBoundDrops() {
        return 0;
    }

    @Override
    public synchronized Map<RelayKey, DelayLine> running() {
        return new HashMap<>(relays);
    }

    @Override
    public BatchResult relay(List<Action> actions) {
        return apply(actions);
    }

    @Override
    public synchronized void stopAll() {
        relays.clear();
    }

    public FakeKernel() {
        ifaces.put(ROOT, new TreeMap<>());
    }

    public KernelOps ops() {
        return new KernelOps(this, this, this, this, this, this);
    }

    public synchronized void setOvsAvailable(boolean available) {
        this.ovsAvailable = available;
    }

    // ------------------------------------------------------------------ inspection for tests
    public synchronized Set<String> namespaces() {
        return new TreeSet<>(netns);
    }

    /** Interfaces of a namespace (null or "" for the root), by name. */
    public synchronized Map<String, Iface> interfaces(String ns) {
        return new TreeMap<>(ifaces.getOrDefault(ns == null ? ROOT : ns, Map.of()));
    }

    /** The namespaces that are hosts': every namespace but the switch namespaces ({@code nfv-<token>--sw…}). */
    public synchronized Set<String> hostNamespaces() {
        Set<String> out = new TreeSet<>(netns);
        out.removeIf(n -> n.matches("nfv-[a-z0-9]+--sw.*"));
        return out;
    }

    /** The Linux bridges of every namespace, root included. */
    public synchronized List<Iface> bridges() {
        return ifaces.values().stream().flatMap(m -> m.values().stream()).filter(i -> "bridge".equals(i.kind)).toList();
    }

    public synchronized Set<String> ovsBridges() {
        return new TreeSet<>(ovsBridges.keySet());
    }

    public synchronized Set<String> ovsPorts() {
        return new TreeSet<>(ovsPorts.keySet());
    }

    /** The OVS ports and their bridges, as ovs-vsctl list-ports would show them. */
    public synchronized Map<String, String> ovsPortBridges() {
        Map<String, String> out = new TreeMap<>();
        ovsPorts.forEach((name, p) -> out.put(name, p.bridge()));
        return out;
    }

    /** The dpdkvhostuserclient ports and the socket each connects to. */
    public synchronized Map<String, String> vhostUserSockets() {
        return new TreeMap<>(vhostUserSockets);
    }

    public int batches() {
        return batches.get();
    }

    /** Simulates someone deleting an interface by hand. */
    public synchronized void deleteByHand(String ns, String device) {
        delete(key(ns), device);
    }

    // ------------------------------------------------------------------ NetnsOps
    @Override
    public synchronized Set<String> list() {
        Set<String> out = new TreeSet<>();
        netns.stream().filter(n -> n.startsWith(Nfvlab.NETNS_PREFIX)).forEach(out::add);
        return out;
    }

    @Override
    public synchronized BatchResult apply(List<Action> actions) {
        batches.incrementAndGet();
        List<BatchResult.Failure> failures = new ArrayList<>();
        for (Action a : actions) {
            String err = applyOne(a);
            if (err != null) {
                failures.add(new BatchResult.Failure(a, err));
            }
        }
        return new BatchResult(failures);
    }

    // ------------------------------------------------------------------ LinkOps
    @Override
    public synchronized Map<String, Observed.Namespace> observe(Collection<String> hostNetns, boolean withQdiscs) {
        Map<String, Observed.Namespace> out = new HashMap<>();
        out.put(ROOT, snapshot(ROOT));
        for (String ns : hostNetns) {
            if (netns.contains(ns)) {
                out.put(ns, snapshot(ns));
            }
        }
        return out;
    }

    @Override
    public BatchResult apply(String netns, List<Action> actions) {
        return apply(actions);
    }

    @Override
    public BatchResult offload(List<Action> actions) {
        return apply(actions);
    }

    // ------------------------------------------------------------------ OvsOps
    @Override
    public synchronized Observed.Ovs observe(String node) {
        if (!ovsAvailable) {
            return Observed.Ovs.NONE;
        }
        Map<String, Observed.OvsBridge> b = new TreeMap<>();
        ovsBridges.forEach((k, v) -> {
            if (node.equals(v.externalIds().get("nfvlab-node"))) b.put(k, v);
        });
        Map<String, Observed.OvsPort> p = new TreeMap<>();
        ovsPorts.forEach((k, v) -> {
            if (node.equals(v.externalIds().get("nfvlab-node"))) p.put(k, v);
        });
        return new Observed.Ovs(true, b, p);
    }

    // ------------------------------------------------------------------ semantics
    private String applyOne(Action a) {
        if (a instanceof NetnsAdd x) {
            if (!netns.add(x.netns())) return "Cannot create namespace: File exists";
            ifaces.put(x.netns(), new TreeMap<>());
            Iface lo = new Iface();
            lo.name = "lo";
            lo.kind = null;
            lo.mtu = 65536;
            ifaces.get(x.netns()).put("lo", lo);
            return null;
        }
        if (a instanceof NetnsDel x) {
            if (netns.remove(x.netns())) {
                for (String dev : new ArrayList<>(ifaces.get(x.netns()).keySet())) {
                    delete(x.netns(), dev);
                }
                ifaces.remove(x.netns());
                routes.remove(x.netns());
                neighbours.remove(x.netns());
            }
            return null;
        }
        if (a instanceof BridgeAdd x) {
            if (!ifaces.containsKey(key(x.netns()))) return "Cannot open network namespace";
            Iface i = create(key(x.netns()), x.device(), "bridge");
            if (i == null) return "RTNETLINK answers: File exists";
            i.stp = x.stp();
            i.alias = x.alias();
            i.up = true;
            i.group = x.group();
            return null;
        }
        if (a instanceof BridgeSetStp x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null) return "Cannot find device \"" + x.device() + "\"";
            i.stp = x.stp();
            return null;
        }
        if (a instanceof VethAdd x) {
            String ka = key(x.a().netns());
            String kb = key(x.b().netns());
            if (!ifaces.containsKey(ka) || !ifaces.containsKey(kb)) return "Invalid \"netns\" value";
            if (find(ka, x.a().name()) != null || find(kb, x.b().name()) != null) return "RTNETLINK answers: File exists";
            Iface ia = create(ka, x.a().name(), "veth");
            Iface ib = create(kb, x.b().name(), "veth");
            ia.peer = kb + "/" + ib.name;
            ib.peer = ka + "/" + ia.name;
            if (x.a().mac() != null) ia.mac = x.a().mac().toLowerCase();
            if (x.b().mac() != null) ib.mac = x.b().mac().toLowerCase();
            ia.group = x.a().group();
            ib.group = x.b().group();
            if (x.a().mtu() != null) ia.mtu = x.a().mtu();
            if (x.b().mtu() != null) ib.mtu = x.b().mtu();
            return null;
        }
        if (a instanceof VxlanAdd x) {
            String k = key(x.netns());
            if (!ifaces.containsKey(k)) return "Invalid \"netns\" value";
            Iface i = create(k, x.device(), "vxlan");
            if (i == null) return "RTNETLINK answers: File exists";
            i.vxlan = new Observed.Vxlan(x.vni(), x.local(), x.remote(), x.dstPort());
            if (x.mtu() != null) i.mtu = x.mtu();
            return null;
        }
        if (a instanceof Action.LinkGroupDel x) {
            for (Iface i : new ArrayList<>(ifaces.get(ROOT).values())) {
                if (i.group == x.group()) delete(ROOT, i.name);
            }
            return null;
        }
        if (a instanceof LinkDel x) {
            delete(key(x.netns()), x.device()); // gone already (with its peer or namespace): as ip -force, not an error
            return null;
        }
        if (a instanceof LinkSet x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null) return "Cannot find device \"" + x.device() + "\"";
            if (x.alias() != null) i.alias = x.alias();
            if (x.mtu() != null) i.mtu = x.mtu();
            if (x.up() != null) i.up = x.up();
            if (x.mac() != null) i.mac = x.mac().toLowerCase();
            if (x.master() != null) {
                if (!x.master().isEmpty() && find(key(x.netns()), x.master()) == null) return "Device does not exist";
                i.master = x.master().isEmpty() ? null : x.master();
            }
            return null;
        }
        if (a instanceof MarkSet x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null) return "Cannot find device \"" + x.device() + "\"";
            i.alias = x.alias();
            return null;
        }
        if (a instanceof AddrAdd x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null) return "Cannot find device \"" + x.device() + "\"";
            return i.addresses.add(x.cidr()) ? null : "RTNETLINK answers: File exists";
        }
        if (a instanceof AddrDel x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null) return "Cannot find device \"" + x.device() + "\"";
            i.addresses.remove(x.cidr());
            return null;
        }
        if (a instanceof Action.RouteDefaultVia x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null || !i.up) return "Nexthop device is not up";
            routes.put(key(x.netns()), x.device());
            return null;
        }
        if (a instanceof RouteDefault x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null || !i.up) return "Nexthop device is not up";
            routes.put(key(x.netns()), x.device());
            return null;
        }
        if (a instanceof NeighSet x) {
            if (find(key(x.netns()), x.device()) == null) return "Cannot find device \"" + x.device() + "\"";
            Set<Observed.Neigh> set = neighbours.computeIfAbsent(key(x.netns()), k -> new LinkedHashSet<>());
            set.removeIf(n -> n.address().equals(x.address()) && n.device().equals(x.device()));
            set.add(new Observed.Neigh(x.device(), x.address(), x.mac().toLowerCase()));
            return null;
        }
        if (a instanceof QdiscSet x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null) return "Cannot find device \"" + x.device() + "\"";
            i.qdisc = x.shaping().rootQdisc();
            i.clsact = x.shaping().lossFilter();
            return null;
        }
        if (a instanceof QdiscClear x) {
            Iface i = find(key(x.netns()), x.device());
            if (i != null) {
                i.qdisc = null;
                i.clsact = false;
            }
            return null;
        }
        if (a instanceof OffloadOff x) {
            Iface i = find(key(x.netns()), x.device());
            if (i == null) return "Cannot get device settings: No such device";
            i.txOffload = false;
            return null;
        }
        if (a instanceof RelayStart x) {
            if (find(key(x.netns()), x.deviceA()) == null || find(key(x.netns()), x.deviceB()) == null) return "No such device";
            relays.put(x.key(), x.line());
            return null;
        }
        if (a instanceof RelayStop x) {
            relays.remove(x.key());
            return null;
        }
        if (a instanceof OvsBridgeAdd x) {
            if (!ovsAvailable) return "database connection failed";
            if (ovsBridges.containsKey(x.bridge())) return "cannot create a bridge named " + x.bridge() + " because a bridge named " + x.bridge() + " already exists";
            Map<String, String> ids = new TreeMap<>(x.externalIds());
            if (x.controller() != null) ids.put("nfvlab-controller", x.controller());
            ovsBridges.put(x.bridge(), new Observed.OvsBridge(x.bridge(), ids, "netdev", x.stp(), x.controller(), null));
            return null;
        }
        if (a instanceof OvsBridgeSet x) {
            Observed.OvsBridge b = ovsBridges.get(x.bridge());
            if (b == null) return "no bridge named " + x.bridge();
            ovsBridges.put(x.bridge(), new Observed.OvsBridge(b.name(), b.externalIds(), b.datapathType(), x.stp(), x.controller(), null));
            return null;
        }
        if (a instanceof OvsBridgeDel x) {
            ovsBridges.remove(x.bridge());
            ovsPorts.values().removeIf(p -> p.bridge().equals(x.bridge()));
            vhostUserSockets.keySet().retainAll(ovsPorts.keySet());
            return null;
        }
        if (a instanceof OvsPortAdd x) {
            if (!ovsBridges.containsKey(x.bridge())) return "no bridge named " + x.bridge();
            if (ovsPorts.containsKey(x.port())) return "cannot create a port named " + x.port() + " because a port named " + x.port() + " already exists";
            ovsPorts.put(x.port(), new Observed.OvsPort(x.port(), x.bridge(), new TreeMap<>(x.externalIds()), null));
            if (x.vhostUser() != null) {
                vhostUserSockets.put(x.port(), x.vhostUser().socket());
            }
            return null;
        }
        if (a instanceof OvsPortDel x) {
            ovsPorts.remove(x.port());
            vhostUserSockets.remove(x.port());
            return null;
        }
        return "unsupported action " + a.type();
    }

    private static String key(String ns) {
        return ns == null ? ROOT : ns;
    }

    private Iface find(String ns, String name) {
        Map<String, Iface> m = ifaces.get(ns);
        return m == null ? null : m.get(name);
    }

    private Iface create(String ns, String name, String kind) {
        Map<String, Iface> m = ifaces.get(ns);
        if (m == null || m.containsKey(name)) return null;
        Iface i = new Iface();
        i.name = name;
        i.kind = kind;
        i.mac = String.format("02:fa:%02x:%02x:%02x:%02x", (macs.get() >> 24) & 255, (macs.get() >> 16) & 255,
                (macs.get() >> 8) & 255, macs.getAndIncrement() & 255);
        m.put(name, i);
        return i;
    }

    private boolean delete(String ns, String name) {
        Map<String, Iface> m = ifaces.get(ns);
        Iface i = m == null ? null : m.remove(name);
        if (i == null) return false;
        if (i.peer != null) {
            int slash = i.peer.lastIndexOf('/');
            Map<String, Iface> pm = ifaces.get(i.peer.substring(0, slash));
            if (pm != null) pm.remove(i.peer.substring(slash + 1));
        }
        if ("bridge".equals(i.kind)) {
            m.values().forEach(o -> {
                if (name.equals(o.master)) o.master = null;
            });
        }
        return true;
    }

    private Observed.Namespace snapshot(String ns) {
        Map<String, Observed.Interface> out = new TreeMap<>();
        Map<String, String> qdiscs = new TreeMap<>();
        Set<String> clsact = new TreeSet<>();
        for (Iface i : ifaces.getOrDefault(ns, Map.of()).values()) {
            out.put(i.name, new Observed.Interface(i.name, i.kind, i.alias, i.mtu, i.up, i.master, i.mac,
                    Set.copyOf(i.addresses), i.stp, i.vxlan, Observed.Counters.ZERO, i.group));
            qdiscs.put(i.name, i.qdisc == null ? "noqueue" : i.qdisc);
            if (i.clsact) clsact.add(i.name);
        }
        return new Observed.Namespace(ns, out, qdiscs, clsact, routes.get(ns),
                Set.copyOf(neighbours.getOrDefault(ns, Set.of())));
    }
}
