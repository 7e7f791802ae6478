package io.nfvlab.agent.kernel;

import io.nfvlab.agent.container.ContainerHosts;
import io.nfvlab.agent.container.ContainerRuntime;
import io.nfvlab.agent.container.NetnsAttacher;
import io.nfvlab.agent.container.NoContainerRuntime;
import io.nfvlab.agent.kernel.Action.OvsBridgeAdd;
import io.nfvlab.agent.kernel.shaping.RelayKey;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.traffic.TrafficTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** observe → plan → apply over a {@link KernelOps}: the Linux kernel, or the in-memory fake. */
public final class KernelDataplane implements NodeDataplane {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KernelDataplane.class);
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{1,8}");

    private final String node;
    private final KernelOps ops;
    private final Planner planner;
    private final Applier applier;
    private final ExecutorService pool;
    private final ContainerHosts containers;
    private final KernelReleases releases;
    private final LinkService service;

    public KernelDataplane(String node, KernelOps ops, boolean ovsAllowed) {
        this(node, ops, ovsAllowed, new NoContainerRuntime());
    }

    /** @param runtime the node's container runtime, for container hosts */
    public KernelDataplane(String node, KernelOps ops, boolean ovsAllowed, ContainerRuntime runtime) {
        this.node = node;
        this.ops = ops;
        this.planner = new Planner(node, ovsAllowed, ops.shaping().mechanisms());
        this.pool = Executors.newFixedThreadPool(Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors())), r -> {
            Thread t = new Thread(r, "nfvlab-apply-" + node);
            t.setDaemon(true);
            return t;
        });
        this.applier = new Applier(ops, pool);
        this.containers = new ContainerHosts(node, runtime, new NetnsAttacher(), pool);
        this.releases = new KernelReleases(ops.links());
        this.service = new LinkService(ops.links(), LinkService.WAIT);
    }

    /**
     * One lock per owner token: the parts of a split plan are reconciled concurrently and each syncs the whole plan;
     * without it two syncs of one owner would plan from the same observation and apply the same actions twice.
     */
    private final Map<String, Object> tokenLocks = new java.util.concurrent.ConcurrentHashMap<>();

    private Object lockOf(NetworkNodeState state) {
        String token = tokenOf(state);
        return tokenLocks.computeIfAbsent(token == null ? "" : token, t -> new Object());
    }

    @Override
    public io.nfvlab.agent.kernel.shaping.ShapingMechanisms shapingMechanisms() {
        return ops.shaping().mechanisms();
    }

    @Override
    public SyncReport sync(NetworkNodeState state) {
        synchronized (lockOf(state)) {
            return syncLocked(state);
        }
    }

    private SyncReport syncLocked(NetworkNodeState state) {
        long start = System.nanoTime();
        NetworkNodeStateSpec spec = state.getSpec() == null ? new NetworkNodeStateSpec() : state.getSpec();
        String token = tokenOf(state);
        if (token == null) {
            return report(start, new Plan(List.of(), List.of(new ItemError("spec.owner.token",
                    "spec.owner.token is missing or not a short lowercase hex token"))), BatchResult.OK, spec, List.of(), false);
        }
        if (buildsNothing(state)) {
            // a traffic test's jobs run in its topology's namespaces: reading the kernel would only delay their start
            return report(start, new Plan(List.of(), List.of()), BatchResult.OK, spec, List.of(), false);
        }
        // container hosts first: their namespaces must exist (named after the containers') before the planner looks
        ContainerHosts.Prepared containerHosts = containers.prepare(token, spec);
        if (containerHosts.reattached()) {
            snapshots.remove(token);
        }
        NetworkNodeStateSpec full = spec;
        spec = containerHosts.spec();
        boolean shapedHostEnds = spec.linksOrEmpty().stream().anyMatch(l -> l.getParams() != null && l.getParams().isShaped())
                || spec.tunnelsOrEmpty().stream().anyMatch(t -> t.getParams() != null && t.getParams().isShaped());
        SwitchNamespace.Layout layout = SwitchNamespace.layout(token, node, spec);
        String switchNs = layout == null ? null : layout.first();
        if (!releases.awaitAll(token, PREVIOUS_RELEASE_WAIT)) {
            // this owner's previous OVS bridges are still being removed by ovs-vswitchd: never build beside them
            return report(start, new Plan(List.of(), List.of(new ItemError("switches", "ovs-vswitchd has not yet removed "
                    + "the previous bridges of this owner after " + PREVIOUS_RELEASE_WAIT.toSeconds() + " s"))),
                    BatchResult.OK, spec, List.of(), false);
        }
        Observed.State observed = observeForSync(token, spec, switchNs, shapedHostEnds);
        String marker = KernelNames.switchMarker(token, 'a');
        if (switchNs != null && !observed.netns().contains(switchNs) && observed.root() != null && observed.root().get(marker) != null
                && Marks.ours(observed.root().get(marker).alias(), token, node)) {
            // this owner's previous switch namespace is still being destroyed: never build beside it (a device of that
            // name without our mark is someone else's: the planner refuses it)
            if (!releases.awaitReleased(token, switchNs, marker, PREVIOUS_RELEASE_WAIT)) {
                return report(start, new Plan(List.of(), List.of(new ItemError("switches", "the kernel has not yet "
                        + "destroyed this owner's previous switch namespace (" + marker + " is still there after "
                        + PREVIOUS_RELEASE_WAIT.toSeconds() + " s)"))), BatchResult.OK, spec, List.of(), false);
            }
            observed = observe(token, switchNs, shapedHostEnds);
        }
        long observedAt = System.nanoTime();
        Plan plan = planner.plan(token, spec, observed);
        long plannedAt = System.nanoTime();
        BatchResult result = applier.apply(plan);
        if (LOG.isDebugEnabled()) {
            LOG.debug("sync {}: observe {} ms, plan {} ms, apply {} ms", token, (observedAt - start) / 1_000_000,
                    (plannedAt - observedAt) / 1_000_000, (System.nanoTime() - plannedAt) / 1_000_000);
        }
        remember(token, spec, observed, plan);
        List<ItemError> extra = new ArrayList<>();
        if (plan.actions().stream().anyMatch(a -> a instanceof OvsBridgeAdd)) {
            // ovs-vsctl exits 0 even when vswitchd cannot create the datapath: read the bridge back
            Observed.Ovs ovs = ops.ovs().observe(node);
            for (Action a : plan.actions()) {
                if (a instanceof OvsBridgeAdd add) {
                    Observed.OvsBridge b = ovs.bridges().get(add.bridge());
                    if (b == null) {
                        extra.add(new ItemError(add.item(), "OVS bridge " + add.bridge() + " was not created"));
                    } else if (b.error() != null) {
                        extra.add(new ItemError(add.item(), "OVS could not create bridge " + add.bridge() + ": " + b.error()));
                    }
                }
            }
        }
        extra.addAll(containerHosts.errors());
        List<String> switchEnds = new ArrayList<>(layout == null ? List.of() : layout.namespaces());
        switchEnds.add(null);
        ItemError notInService = service.await(token, switchEnds, !plan.actions().isEmpty());
        if (notInService != null) {
            extra.add(notInService);
        }
        return report(start, new Plan(plan.actions(), concat(plan.errors(), extra)), result, full,
                counters(SwitchNamespace.relocate(spec, layout), observed),
                needsOvs(spec) && !observed.ovs().available());
    }

    @Override
    public SyncReport teardown(NetworkNodeState state) {
        synchronized (lockOf(state)) {
            return teardownLocked(state);
        }
    }

    private SyncReport teardownLocked(NetworkNodeState state) {
        long start = System.nanoTime();
        String token = tokenOf(state);
        NetworkNodeStateSpec spec = state.getSpec() == null ? new NetworkNodeStateSpec() : state.getSpec();
        if (token == null || buildsNothing(state)) {
            return report(start, new Plan(List.of(), List.of()), BatchResult.OK, new NetworkNodeStateSpec(), List.of(), false);
        }
        snapshots.remove(token);
        service.forget(token);
        Observed.State observed = observeForTeardown(token);
        long observedAt = System.nanoTime();
        Set<String> planned = spec.hostsOrEmpty().stream().map(PlannedHost::getNetns).collect(Collectors.toSet());
        Plan plan = planner.teardown(token, planned, observed);
        String switchNs = KernelNames.switchNetns(token, node);
        String marker = KernelNames.switchMarker(token, 'a');
        if (releases.pending(marker)) {
            // the kernel is still destroying this owner's last switch namespace: its marker goes with it
            plan = new Plan(plan.actions().stream().filter(a -> !(a instanceof Action.LinkDel d && d.netns() == null
                    && d.device().equals(marker))).toList(), plan.errors());
        }
        Set<String> doomed = plan.actions().stream().filter(a -> a instanceof Action.NetnsDel)
                .map(a -> ((Action.NetnsDel) a).netns()).collect(Collectors.toSet());
        // a container host's namespace is its container's: the agent only named it, and its processes hold it until
        // the runtime (or the kubelet, for a pod) removes the container
        Set<String> ownNamespaces = new HashSet<>(doomed);
        spec.hostsOrEmpty().stream().filter(PlannedHost::isContainerHost).map(PlannedHost::getNetns).forEach(ownNamespaces::remove);
        Map<String, Long> identities = new java.util.HashMap<>(ops.netns().identities(ownNamespaces));
        Map<String, Long> stillHeld = heldAfterTeardown.remove(token);
        if (stillHeld != null) {
            identities.putAll(stillHeld);
        }
        long plannedAt = System.nanoTime();
        BatchResult result = applier.apply(plan);
        long applied = System.nanoTime();
        // their OVSDB rows are gone: ovs-vswitchd removes the devices by itself, followed rather than waited for
        releases.ovsBridgesDeleted(token, plan.actions().stream().filter(a -> a instanceof Action.OvsBridgeDel)
                .map(a -> ((Action.OvsBridgeDel) a).bridge()).collect(Collectors.toSet()));
        if (doomed.contains(switchNs) && observed.root() != null && observed.root().get(marker) != null) {
            // followed whatever the holders check says: a retry must not delete the marker of a namespace still dying
            releases.deleted(token, switchNs, marker);
        }
        List<String> holders = awaitUnheld(identities);
        if (!holders.isEmpty()) {
            // not done is not reported as done: the finalizer stays, the teardown is retried and checks again
            heldAfterTeardown.put(token, identities);
            String message = "deleted, but still held (the kernel cannot destroy them): " + String.join("; ",
                    holders.subList(0, Math.min(5, holders.size()))) + (holders.size() > 5 ? " (and " + (holders.size() - 5) + " more)" : "");
            LOG.warn("teardown {}: namespaces {}", token, message);
            plan = new Plan(plan.actions(), concat(plan.errors(), List.of(new ItemError("namespaces", message))));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("teardown {}: {} actions applied in {} ms (observe {} ms, plan {} ms), checked {} ms later", token,
                    plan.actions().size(), (applied - start) / 1_000_000, (observedAt - start) / 1_000_000,
                    (plannedAt - observedAt) / 1_000_000, (System.nanoTime() - applied) / 1_000_000);
        }
        containers.teardown(token, spec);
        return report(start, plan, result, new NetworkNodeStateSpec(), List.of(), false);
    }

    @Override
    public Set<String> sweepOrphans(Set<String> liveTokens) {
        Set<String> all = ops.netns().list();
        Map<String, Observed.Namespace> namespaces = ops.links().observe(all, false);
        Observed.Ovs ovs = ops.ovs().observe(node);
        Observed.State observed = new Observed.State(all, namespaces, ovs, ops.relays().running());
        Set<String> tokens = new HashSet<>();
        namespaces.values().forEach(ns -> ns.interfaces().values().forEach(i -> {
            if (Marks.forNode(i.alias(), node)) {
                tokens.add(Marks.tokenOf(i.alias()));
            }
        }));
        ovs.bridges().values().forEach(b -> {
            if (node.equals(b.externalIds().get(Marks.OVS_NODE_KEY))) tokens.add(b.externalIds().get(Nfvlab.OVS_OWNER_KEY));
        });
        ovs.ports().values().forEach(p -> {
            if (node.equals(p.externalIds().get(Marks.OVS_NODE_KEY))) tokens.add(p.externalIds().get(Nfvlab.OVS_OWNER_KEY));
        });
        tokens.removeAll(liveTokens);
        tokens.remove(null);
        for (String token : tokens) {
            Plan plan = planner.teardown(token, Set.of(), observed);
            String marker = KernelNames.switchMarker(token, 'a');
            String switchNs = KernelNames.switchNetns(token, node);
            if (observed.root() != null && observed.root().get(marker) != null) {
                // the switch namespace is deleted now, or was before this agent started (by an earlier run) and the
                // kernel may still be destroying it: followed, not hidden by deleting its marker
                releases.deleted(token, switchNs, marker);
                plan = new Plan(plan.actions().stream().filter(a -> !(a instanceof Action.LinkDel d && d.netns() == null
                        && d.device().equals(marker))).toList(), plan.errors());
            }
            applier.apply(plan);
        }
        tokens.addAll(containers.sweep(liveTokens));
        return tokens;
    }

    /**
     * Who still holds the deleted namespaces, after a short wait: a job's process that is being stopped as this runs
     * (its test or topology went at the same moment) lets go within that time.
     */
    private List<String> awaitUnheld(Map<String, Long> identities) {
        if (identities.isEmpty()) {
            return List.of();
        }
        long deadline = System.nanoTime() + HOLDERS_WAIT.toNanos();
        List<String> holders = ops.netns().holders(identities);
        while (!holders.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            holders = ops.netns().holders(identities);
        }
        return holders;
    }

    static final Duration HOLDERS_WAIT = Duration.ofSeconds(5);
    /** How long a build waits for the kernel to finish with its owner's previous switch namespace before it retries. */
    static final Duration PREVIOUS_RELEASE_WAIT = Duration.ofSeconds(20);

    /** Namespaces a teardown deleted while something still held them, by owner token: checked again on the retry. */
    private final Map<String, Map<String, Long>> heldAfterTeardown = new java.util.concurrent.ConcurrentHashMap<>();

    /** Switch namespaces the kernel is still destroying after their teardown was reported done. */
    public KernelReleases releases() {
        return releases;
    }

    /** The last deep observation of an owner's host namespaces, kept while syncs find nothing to do. */
    private record Snapshot(int specHash, Map<String, Observed.Namespace> hostNamespaces, int shallowSyncs) {
    }

    /** How many idle syncs in a row may reuse the host namespaces' snapshot before they are read again. */
    static final int SHALLOW_SYNCS = 5;
    private final Map<String, Snapshot> snapshots = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Reading every host namespace costs a process exec each; an idle periodic sync re-reads only the node root
     * (where a veth deleted by hand shows: both ends go) and the namespace list, and reuses the host namespaces of
     * the last deep read while nothing was applied since and the spec is unchanged. Every few syncs read deep.
     */
    private Observed.State observeForSync(String token, NetworkNodeStateSpec spec, String switchNs, boolean withQdiscs) {
        Snapshot snap = snapshots.get(token);
        if (snap != null && snap.specHash() == spec.hashCode() && snap.shallowSyncs() < SHALLOW_SYNCS) {
            Set<String> all = ops.netns().list();
            if (all.containsAll(snap.hostNamespaces().keySet())) {
                Map<String, Observed.Namespace> namespaces = new java.util.HashMap<>(snap.hostNamespaces());
                // the switch namespaces stand where the root stood: a link deleted by hand shows there
                namespaces.putAll(ops.links().observe(switchSide(token, all), true));
                snapshots.put(token, new Snapshot(snap.specHash(), snap.hostNamespaces(), snap.shallowSyncs() + 1));
                return new Observed.State(all, namespaces, ops.ovs().observe(node), ops.relays().running());
            }
        }
        snapshots.remove(token);
        return observe(token, switchNs, withQdiscs);
    }

    private void remember(String token, NetworkNodeStateSpec spec, Observed.State observed, Plan plan) {
        Snapshot previous = snapshots.get(token);
        if (!plan.actions().isEmpty() || !plan.errors().isEmpty()) {
            snapshots.remove(token);
        } else if (previous == null) {
            Map<String, Observed.Namespace> hosts = new java.util.HashMap<>(observed.namespaces());
            hosts.remove(Observed.ROOT);
            hosts.keySet().removeIf(ns -> KernelNames.isSwitchNetns(ns, token, node));
            snapshots.put(token, new Snapshot(spec.hashCode(), hosts, 0));
        }
    }

    /** Every namespace of the token; the switch namespaces, like the root, always with their qdiscs. */
    private Observed.State observe(String token, String switchNs, boolean withQdiscs) {
        long t0 = System.nanoTime();
        Set<String> all = ops.netns().list();
        String prefix = Nfvlab.NETNS_PREFIX + token + "-";
        Set<String> switchSide = switchNs == null ? Set.of() : switchSide(token, all);
        Set<String> mine = all.stream().filter(n -> n.startsWith(prefix) && !switchSide.contains(n)).collect(Collectors.toSet());
        long t1 = System.nanoTime();
        Map<String, Observed.Namespace> namespaces = new java.util.HashMap<>(ops.links().observe(mine, withQdiscs));
        namespaces.putAll(ops.links().observe(switchSide, true));
        long t2 = System.nanoTime();
        Observed.Ovs ovs = ops.ovs().observe(node);
        long t3 = System.nanoTime();
        var relays = ops.relays().running();
        if (LOG.isDebugEnabled()) {
            LOG.debug("observe {}: list {} ms, links {} ms, ovs {} ms, relays {} ms", token, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
        }
        return new Observed.State(all, namespaces, ovs, relays);
    }

    /** The switch-side namespaces of the token among {@code all} ({@link SwitchNamespace}). */
    private Set<String> switchSide(String token, Set<String> all) {
        return all.stream().filter(n -> KernelNames.isSwitchNetns(n, token, node)).collect(Collectors.toSet());
    }

    /** Every namespace of the token (the switch namespace too), interfaces only: a teardown decides by their marks. */
    private Observed.State observeForTeardown(String token) {
        Set<String> all = ops.netns().list();
        String prefix = Nfvlab.NETNS_PREFIX + token + "-";
        Set<String> mine = all.stream().filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
        return new Observed.State(all, ops.links().observeInterfaces(mine), ops.ovs().observe(node), ops.relays().running());
    }

    private static final String TRAFFIC_TEST = io.fabric8.kubernetes.api.model.HasMetadata.getKind(TrafficTest.class);

    /**
     * A traffic test's state: its owner is a TrafficTest and its spec declares nothing the kernel holds (no host,
     * switch, link, tunnel or DPDK bridge). Nothing in the kernel or OVS is ever built under a traffic test's token
     * (its jobs run in the topology's namespaces, under the topology's), so neither a sync nor a teardown of it has
     * anything to read or remove. Any other state, even an empty one, is planned from the kernel: an empty plan of a
     * topology means "remove what this token built".
     */
    static boolean buildsNothing(NetworkNodeState state) {
        NetworkNodeStateSpec spec = state.getSpec();
        return spec != null && spec.getOwner() != null && TRAFFIC_TEST.equals(spec.getOwner().getKind())
                && spec.hostsOrEmpty().isEmpty() && spec.switchesOrEmpty().isEmpty() && spec.linksOrEmpty().isEmpty()
                && spec.tunnelsOrEmpty().isEmpty() && spec.dpdkBridgesOrEmpty().isEmpty();
    }

    private static String tokenOf(NetworkNodeState state) {
        if (state.getSpec() == null || state.getSpec().getOwner() == null) {
            return null;
        }
        String token = state.getSpec().getOwner().getToken();
        return token != null && TOKEN.matcher(token).matches() ? token : null;
    }

    private List<SyncReport.LinkCounters> counters(NetworkNodeStateSpec spec, Observed.State observed) {
        List<SyncReport.LinkCounters> out = new ArrayList<>();
        String token = spec.getOwner() == null ? null : spec.getOwner().getToken();
        var queueDrops = ops.relays().queueDrops();
        for (PlannedLink l : spec.linksOrEmpty()) {
            var end = l.getA().getBridge() != null || l.getA().getNetns() == null ? l.getA() : l.getB();
            Observed.Namespace ns = observed.ns(end.getNetns());
            Observed.Interface i = ns == null ? null : ns.get(end.getDevice());
            if (i != null && i.counters() != null) {
                out.add(new SyncReport.LinkCounters(l.getId(), end.getDevice(), i.counters(),
                        queueDrops.get(new RelayKey(token, l.getId()))));
            }
        }
        return out;
    }

    /** A switch of kind ovs or ovs-dpdk, or a DpdkBridge: what cannot be built on a node without Open vSwitch. */
    static boolean needsOvs(NetworkNodeStateSpec spec) {
        return !spec.dpdkBridgesOrEmpty().isEmpty() || spec.switchesOrEmpty().stream()
                .anyMatch(s -> s.getKind() == SwitchKind.OVS || s.getKind() == SwitchKind.OVS_DPDK);
    }

    private static SyncReport report(long start, Plan plan, BatchResult result, NetworkNodeStateSpec spec,
                                     List<SyncReport.LinkCounters> counters, boolean ovsMissing) {
        Map<String, String> errorByItem = new LinkedHashMap<>();
        plan.errors().forEach(e -> errorByItem.putIfAbsent(e.getItem(), e.getMessage()));
        result.failures().forEach(f -> errorByItem.putIfAbsent(f.action().item(), f.message()));
        List<ItemError> errors = errorByItem.entrySet().stream()
                .map(e -> new ItemError(e.getKey(), e.getValue())).toList();
        Map<String, Integer> byType = new TreeMap<>();
        plan.actions().forEach(a -> byType.merge(a.type(), 1, Integer::sum));
        Map<String, Integer> failedByType = new TreeMap<>();
        result.failures().forEach(f -> failedByType.merge(f.action().type(), 1, Integer::sum));
        int hosts = ready(spec.hostsOrEmpty().stream().map(h -> "hosts/" + h.getName()).toList(), errorByItem);
        int switches = ready(spec.switchesOrEmpty().stream().map(s -> "switches/" + s.getName()).toList(), errorByItem);
        int links = ready(spec.linksOrEmpty().stream().map(l -> "links/" + l.getId()).toList(), errorByItem);
        int tunnels = ready(spec.tunnelsOrEmpty().stream().map(t -> "tunnels/" + t.getId()).toList(), errorByItem);
        return new SyncReport(plan.actions().size(), plan.actions(), byType, failedByType, errors, hosts, switches, links, tunnels,
                Duration.ofNanos(System.nanoTime() - start), counters, ovsMissing);
    }

    private static int ready(List<String> items, Map<String, String> errors) {
        return (int) items.stream().filter(i -> !errors.containsKey(i)).count();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Override
    public long byteBoundDrops() {
        return ops.relays().byteBoundDrops();
    }

    @Override
    public void close() {
        releases.close();
        ops.relays().stopAll();
        pool.shutdownNow();
    }

    public String node() {
        return node;
    }

    @Override
    public String containerRuntimeName() {
        return containers.runtime().available() ? containers.runtime().name() : null;
    }

}
