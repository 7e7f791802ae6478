package io.nfvlab.agent;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.shaping.ShapingReport;
import io.nfvlab.agent.ovsdpdk.DpdkBridges;
import io.nfvlab.agent.ovsdpdk.VhostUserHostSockets;
import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.api.node.SyncReasons;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reconciles this node's NetworkNodeStates: sync the dataplane, run traffic and DPDK bridges through their seams,
 * and write status only (and only when it changed). Deletion tears everything down before the finalizer goes.
 */
final class NodeStateReconciler implements Reconciler<NetworkNodeState>, Cleaner<NetworkNodeState> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStateReconciler.class);
    static final String REASON_SYNCED = "Synced";
    static final String REASON_FAILED = "SyncFailed";
    static final String REASON_WAITING_FOR_PARTS = "WaitingForParts";
    /** Errors listed in a state's status; the Synced condition still counts them all. */
    static final int MAX_STATUS_ERRORS = 100;
    /** How soon a part that found the others missing looks again (their arrival does not wake it). */
    private static final Duration PARTS_RECHECK = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final NodeDataplane dataplane;
    private final AgentMetrics metrics;
    private final TrafficJobs traffic;
    private final DpdkBridges dpdk;
    private final ReconcileProgress progress;
    private final TokenHolders tokens = new TokenHolders();
    /** Wakes the state whose traffic job just ended: its result is written as soon as it exists. */
    private final SimpleInboundEventSource<NetworkNodeState> jobEnds = new SimpleInboundEventSource<>("traffic-job-ends");

    NodeStateReconciler(AgentConfig config, NodeDataplane dataplane, AgentMetrics metrics) {
        this(config, dataplane, metrics, new ReconcileProgress(config.getStuckReconcileLimit()));
    }

    NodeStateReconciler(AgentConfig config, NodeDataplane dataplane, AgentMetrics metrics, ReconcileProgress progress) {
        this.config = config;
        this.progress = progress;
        this.dataplane = dataplane;
        this.metrics = metrics;
        this.traffic = config.getTrafficJobs();
        this.dpdk = config.getDpdkBridges();
    }

    @Override
    public List<EventSource<?, NetworkNodeState>> prepareEventSources(EventSourceContext<NetworkNodeState> context) {
        if (traffic != null) {
            // NetworkNodeStates are cluster-scoped: the name alone identifies one
            traffic.onJobEnd(name -> jobEnds.propagateEvent(new ResourceID(name)));
        }
        if (config.getPodSandboxes() != null) {
            // a pod's sandbox came or went: the states of its namespace's owners attach or drop it now, not at resync
            var cache = context.getPrimaryCache();
            config.getPodSandboxes().onChange(namespace -> cache.list(s -> s.getSpec() != null && s.getSpec().getOwner() != null
                            && namespace.equals(s.getSpec().getOwner().getNamespace()))
                    .forEach(s -> jobEnds.propagateEvent(ResourceID.fromResource(s))));
        }
        return List.of(jobEnds);
    }

    @Override
    public UpdateControl<NetworkNodeState> reconcile(NetworkNodeState resource, Context<NetworkNodeState> context) {
        try (var inFlight = progress.begin("reconcile of " + resource.getMetadata().getName())) {
            return reconcileTracked(resource, context);
        }
    }

    private UpdateControl<NetworkNodeState> reconcileTracked(NetworkNodeState resource, Context<NetworkNodeState> context) {
        LOG.debug("{}: reconcile of generation {}", resource.getMetadata().getName(), resource.getMetadata().getGeneration());
        NetworkNodeStateStatus old = resource.getStatus() == null ? new NetworkNodeStateStatus() : resource.getStatus();
        Long generation = resource.getMetadata().getGeneration();
        NetworkNodeState whole = resource;
        if (PlanParts.isPart(resource)) {
            Optional<NetworkNodeState> all = PlanParts.whole(resource, PlanParts.parts(resource, context));
            if (all.isEmpty()) {
                return waitingForParts(resource, old, generation);
            }
            whole = all.get();
        }
        if (whole != resource && onlyTraffic(whole.getSpec())) {
            // traffic jobs stand alone (each is run and reported by its own part) and build nothing in the kernel:
            // each part is checked and synced by itself
            whole = resource;
        }
        // the parts of one plan take turns: a part that waited while another synced the whole plan reports from that
        // sync instead of observing and planning all of it again (at 10,000 hosts each whole sync costs seconds)
        java.util.concurrent.locks.Lock turn = whole != resource
                ? wholeTurns.computeIfAbsent(resource.getSpec().getOwner().getToken(), t -> new java.util.concurrent.locks.ReentrantLock())
                : null;
        if (turn != null) {
            turn.lock();
        }
        SyncReport report;
        try {
            report = recentSyncOfWhole(resource);
            String cleanKey = whole == resource ? resource.getMetadata().getName() : "whole/" + resource.getSpec().getOwner().getToken();
            // a single state's spec changes with its generation; a split plan's whole has none of its own, its hash
            // stands for it (a colliding change waits at most for the budget below, then is synced)
            long specVersion = whole == resource ? (generation == null ? 0 : generation)
                    : whole.getSpec() == null ? 0 : whole.getSpec().hashCode();
            if (report == null) {
                report = recentCleanSync(cleanKey, specVersion);
            }
            if (report == null) {
                long checkStart = System.nanoTime();
                PlanCheck.Refusal refusal = PlanCheck.check(whole, config.getRunRoot());
                LOG.debug("{}: plan checked in {} ms", resource.getMetadata().getName(), (System.nanoTime() - checkStart) / 1_000_000);
                if (refusal == null) {
                    String holder = tokens.claim(resource);
                    refusal = holder == null ? null : tokenHeld(resource, holder);
                }
                if (refusal != null) {
                    return refused(resource, old, generation, refusal);
                }
                report = dataplane.sync(whole);
                // a sync that left nothing failed starts the trust window: an idle one measures what a drift check
                // costs, and a build that applied everything costs more than reading it back would (at 10,000 hosts
                // the first drift check after the build read every namespace while the pingall on it ran, for 102 s
                // at a load of 30, and the teardown waited for it)
                if (report.errors().isEmpty() && !report.ovsMissing()) {
                    cleanSyncs.put(cleanKey, new CleanSync(specVersion, System.nanoTime(), report));
                } else {
                    cleanSyncs.remove(cleanKey);
                }
                boolean repair = report.actions() > 0 && Objects.equals(old.getObservedGeneration(), generation);
                metrics.record(resource, report, repair);
                if (whole != resource) {
                    // only a kernel plan is shared by its parts
                    wholeSyncs.put(resource.getSpec().getOwner().getToken(),
                            new WholeSync(resource.getSpec().getShard().getPlan(), System.nanoTime(), report));
                }
            }
        } finally {
            if (turn != null) {
                turn.unlock();
            }
        }
        if (report.actions() > 0) {
            LOG.info("{}: {} actions in {} ms{}", resource.getMetadata().getName(), report.actions(),
                    report.duration().toMillis(), report.errors().isEmpty() ? "" : ", errors: " + report.errors());
        }
        NetworkNodeStateSpec spec = resource.getSpec() == null ? new NetworkNodeStateSpec() : resource.getSpec();
        List<ItemError> errors = new ArrayList<>(whole == resource ? report.errors() : PlanParts.errorsOf(spec, whole.getSpec(), report.errors()));
        List<NodeBridgeStatus> bridges = dpdkBridges(resource, errors);
        List<TrafficJobResult> results = trafficResults(resource);

        NetworkNodeStateStatus next = new NetworkNodeStateStatus();
        next.setObservedGeneration(generation);
        // a part counts its own items: the operator adds the parts up
        int hostsReady = ready(spec.hostsOrEmpty().size(), "hosts/", errors);
        int switchesReady = ready(spec.switchesOrEmpty().size(), "switches/", errors);
        int linksReady = ready(spec.linksOrEmpty().size(), "links/", errors);
        int tunnelsReady = ready(spec.tunnelsOrEmpty().size(), "tunnels/", errors);
        String summary = "hosts " + hostsReady + "/" + spec.hostsOrEmpty().size()
                + ", switches " + switchesReady + "/" + spec.switchesOrEmpty().size()
                + ", links " + linksReady + "/" + spec.linksOrEmpty().size()
                + ", tunnels " + tunnelsReady + "/" + spec.tunnelsOrEmpty().size();
        String reason = errors.isEmpty() ? REASON_SYNCED : report.ovsMissing() ? SyncReasons.OVS_MISSING : REASON_FAILED;
        String message = errors.isEmpty() ? summary
                : report.ovsMissing() ? ovsMissing(spec) + "; " + summary
                : summary + "; " + errors.size() + " item(s) failed, first: " + errors.get(0).getItem() + ": " + errors.get(0).getMessage();
        next.setConditions(Conditions.set(old.getConditions(), Conditions.SYNCED, errors.isEmpty(), reason, message, generation));
        next.setHostsReady(hostsReady);
        next.setSwitchesReady(switchesReady);
        next.setLinksReady(linksReady);
        next.setTunnelsReady(tunnelsReady);
        next.setLastActions(report.actions());
        // the status must fit in the object as the plan does: the first errors name the problem, the count its size
        next.setErrors(errors.isEmpty() ? null : errors.size() > MAX_STATUS_ERRORS ? List.copyOf(errors.subList(0, MAX_STATUS_ERRORS)) : errors);
        next.setDpdkBridges(bridges);
        next.setTrafficResults(results);
        next.setShaping(ShapingReport.of(spec, dataplane.shapingMechanisms()));
        next.setLastSyncTime(old.getLastSyncTime());

        boolean running = results != null && results.stream().anyMatch(r -> r.getPhase() == TrafficJobResult.JobPhase.RUNNING);
        Duration again = running ? config.getTrafficPollInterval() : config.getResyncInterval();
        if (next.equals(old)) {
            return UpdateControl.<NetworkNodeState>noUpdate().rescheduleAfter(again);
        }
        next.setLastSyncTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (!errors.isEmpty() && !Objects.equals(errors, old.getErrors())) {
            if (report.ovsMissing()) {
                LOG.warn("{}: {}", resource.getMetadata().getName(), ovsMissing(spec));
            }
            warn(context, resource, errors, reason, report.ovsMissing() ? ovsMissing(spec) : null);
        }
        NetworkNodeState patch = new NetworkNodeState();
        patch.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace()).build());
        patch.setStatus(next);
        return UpdateControl.patchStatus(patch).rescheduleAfter(again);
    }

    private static boolean onlyTraffic(NetworkNodeStateSpec spec) {
        return spec.hostsOrEmpty().isEmpty() && spec.switchesOrEmpty().isEmpty() && spec.linksOrEmpty().isEmpty()
                && spec.tunnelsOrEmpty().isEmpty() && spec.dpdkBridgesOrEmpty().isEmpty();
    }

    /** The last sync without errors of one state (or of a split plan's whole), and the generation (the hash) of the spec it synced. */
    private record CleanSync(long specVersion, long atNanos, SyncReport report) {
    }

    /**
     * How many times its own duration a sync without errors is trusted before the kernel is read again: the drift check
     * (every resync interval) may take at most a tenth of the agent's time. A small topology syncs in milliseconds and
     * is checked at every resync as before; the 10,000-host tree, whose reading alone takes minutes on a busy 2-core
     * node (the kernel finds a veth peer's namespace id by a scan over all of them), is checked every few tens of
     * minutes instead of continuously, which left no CPU for the traffic tests run on it.
     */
    static final int DRIFT_CHECK_BUDGET = 10;
    private final java.util.Map<String, CleanSync> cleanSyncs = new java.util.concurrent.ConcurrentHashMap<>();

    /** An idle report from the last clean sync of the same spec while it is within its budget, or null. */
    private SyncReport recentCleanSync(String key, long specVersion) {
        CleanSync last = cleanSyncs.get(key);
        if (last == null || last.specVersion() != specVersion
                || System.nanoTime() - last.atNanos() >= DRIFT_CHECK_BUDGET * last.report().duration().toNanos()) {
            return null;
        }
        SyncReport r = last.report();
        return new SyncReport(0, List.of(), java.util.Map.of(), java.util.Map.of(), List.of(), r.hostsReady(), r.switchesReady(),
                r.linksReady(), r.tunnelsReady(), Duration.ZERO, List.of(), false);
    }

    /** The last sync of a split plan, by owner token: its other parts report from it while it is recent. */
    private record WholeSync(String plan, long atNanos, SyncReport report) {
    }

    private final java.util.Map<String, WholeSync> wholeSyncs = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, java.util.concurrent.locks.Lock> wholeTurns = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The report of a sync of the same whole plan by another of its parts within half a resync interval, or null. Every
     * part of a plan is reconciled for its own status; checking and syncing the whole plan once for all of them keeps
     * a plan of N parts from costing N syncs (drift is still repaired: the next sync after that window is a real one).
     */
    private SyncReport recentSyncOfWhole(NetworkNodeState resource) {
        if (!PlanParts.isPart(resource)) {
            return null;
        }
        WholeSync last = wholeSyncs.get(resource.getSpec().getOwner().getToken());
        if (last == null || !last.plan().equals(resource.getSpec().getShard().getPlan())
                || System.nanoTime() - last.atNanos() > config.getResyncInterval().toNanos() / 2) {
            return null;
        }
        return last.report();
    }

    /** Items of one kind ({@code prefix}: "hosts/") that are not among the errors. */
    private static int ready(int planned, String prefix, List<ItemError> errors) {
        return planned - (int) errors.stream().filter(e -> e.getItem() != null && e.getItem().startsWith(prefix)).count();
    }

    /**
     * A part of a split plan whose other parts are not all here yet (or are still those of an earlier plan): nothing
     * is touched, since a part alone would tear down what the others declare.
     */
    private UpdateControl<NetworkNodeState> waitingForParts(NetworkNodeState resource, NetworkNodeStateStatus old, Long generation) {
        var shard = resource.getSpec().getShard();
        NetworkNodeStateStatus next = new NetworkNodeStateStatus();
        next.setObservedGeneration(generation);
        next.setConditions(Conditions.set(old.getConditions(), Conditions.SYNCED, false, REASON_WAITING_FOR_PARTS,
                "part " + shard.getIndex() + " of " + shard.getCount() + " of plan " + shard.getPlan()
                        + ": waiting for the other parts before touching anything", generation));
        next.setLastSyncTime(old.getLastSyncTime());
        if (next.equals(old)) {
            return UpdateControl.<NetworkNodeState>noUpdate().rescheduleAfter(PARTS_RECHECK);
        }
        NetworkNodeState patch = new NetworkNodeState();
        patch.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace()).build());
        patch.setStatus(next);
        return UpdateControl.patchStatus(patch).rescheduleAfter(PARTS_RECHECK);
    }

    /**
     * A plan that fails {@link PlanCheck}: nothing of it is realized (not even the parts that would pass) and the
     * condition names the field, so whoever wrote the state can see why.
     */
    private UpdateControl<NetworkNodeState> refused(NetworkNodeState resource, NetworkNodeStateStatus old, Long generation,
                                                    PlanCheck.Refusal refusal) {
        LOG.warn("{}: plan refused, nothing done: {}", resource.getMetadata().getName(), refusal.describe());
        NetworkNodeStateStatus next = new NetworkNodeStateStatus();
        next.setObservedGeneration(generation);
        next.setConditions(Conditions.set(old.getConditions(), Conditions.SYNCED, false, PlanCheck.REASON_REFUSED,
                "plan refused: " + refusal.describe(), generation));
        next.setErrors(List.of(new ItemError(refusal.field(), refusal.message())));
        next.setLastSyncTime(old.getLastSyncTime());
        if (next.equals(old)) {
            return UpdateControl.<NetworkNodeState>noUpdate().rescheduleAfter(config.getResyncInterval());
        }
        next.setLastSyncTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        NetworkNodeState patch = new NetworkNodeState();
        patch.setMetadata(new ObjectMetaBuilder().withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace()).build());
        patch.setStatus(next);
        return UpdateControl.patchStatus(patch).rescheduleAfter(config.getResyncInterval());
    }

    /**
     * Why an OVS plan is not built here, naming the node and the switches: one line for the log, the condition and the
     * event. The agent does not start OVS itself (a node's OVS belongs to whoever installed it).
     */
    private String ovsMissing(NetworkNodeStateSpec spec) {
        List<String> switches = spec.switchesOrEmpty().stream()
                .filter(s -> s.getKind() == SwitchKind.OVS || s.getKind() == SwitchKind.OVS_DPDK)
                .map(s -> s.getName() + " (" + s.getKind().wireName() + ")").toList();
        List<String> bridges = spec.dpdkBridgesOrEmpty().stream().map(PlannedDpdkBridge::getName).toList();
        String what = !switches.isEmpty() ? "switches " + String.join(", ", switches) + " cannot be built"
                : "DPDK bridges " + String.join(", ", bridges) + " cannot be built";
        return "Open vSwitch is missing on node " + config.getNodeName() + " (no ovsdb-server answers on "
                + OvsdbClient.DEFAULT_SOCKET + "): " + what + "; linux-bridge switches need no OVS. Install and start "
                + "openvswitch-switch on the node, or use linux-bridge";
    }

    /**
     * A Warning event on the state when the set of failing items changes (not on every periodic sync). In the system
     * namespace, beside the agent's Lease: the agent may write nowhere else (`kubectl describe` of a cluster-scoped
     * object finds its events in any namespace).
     */
    private void warn(Context<NetworkNodeState> context, NetworkNodeState resource, List<ItemError> errors, String reason,
                      String why) {
        try {
            String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            String message = why != null ? why : errors.size() + " item(s) failed on node " + config.getNodeName() + "; first: "
                    + errors.get(0).getItem() + ": " + errors.get(0).getMessage();
            String namespace = config.getSystemNamespace();
            context.getClient().v1().events().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                    .withNewMetadata().withGenerateName(resource.getMetadata().getName() + ".").withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject().withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
                    .withName(resource.getMetadata().getName()).withUid(resource.getMetadata().getUid()).endInvolvedObject()
                    .withType("Warning").withReason(reason)
                    .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("nfvlab-agent").withHost(config.getNodeName()).endSource()
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.debug("cannot record event: {}", e.toString());
        }
    }

    private List<NodeBridgeStatus> dpdkBridges(NetworkNodeState resource, List<ItemError> errors) {
        List<PlannedDpdkBridge> planned = resource.getSpec() == null ? List.of() : resource.getSpec().dpdkBridgesOrEmpty();
        if (planned.isEmpty()) {
            return null;
        }
        if (dpdk == null) {
            planned.forEach(b -> errors.add(new ItemError("dpdkBridges/" + b.getName(), "DPDK bridges are not supported by this agent")));
            return null;
        }
        try {
            return dpdk.sync(resource);
        } catch (RuntimeException e) {
            planned.forEach(b -> errors.add(new ItemError("dpdkBridges/" + b.getName(), String.valueOf(e.getMessage()))));
            return null;
        }
    }

    private List<TrafficJobResult> trafficResults(NetworkNodeState resource) {
        List<TrafficJob> jobs = resource.getSpec() == null ? List.of() : resource.getSpec().trafficJobsOrEmpty();
        if (jobs.isEmpty() && traffic == null) {
            return null;
        }
        if (traffic == null) {
            return jobs.stream().map(j -> TrafficJobResult.builder().id(j.getId()).runKey(j.getRunKey()).phase(TrafficJobResult.JobPhase.FAILED)
                    .message("traffic jobs are not supported by this agent").build()).toList();
        }
        try {
            List<TrafficJobResult> results = traffic.sync(resource);
            return results == null || results.isEmpty() ? null : results;
        } catch (RuntimeException e) {
            LOG.warn("{}: traffic jobs failed: {}", resource.getMetadata().getName(), e.toString());
            return jobs.stream().map(j -> TrafficJobResult.builder().id(j.getId()).runKey(j.getRunKey()).phase(TrafficJobResult.JobPhase.FAILED)
                    .message("traffic runner failed: " + e.getMessage()).build()).toList();
        }
    }

    private static PlanCheck.Refusal tokenHeld(NetworkNodeState resource, String holder) {
        return new PlanCheck.Refusal("spec.owner.token", "\"" + resource.getSpec().getOwner().getToken()
                + "\" is held on this node by " + holder);
    }

    @Override
    public DeleteControl cleanup(NetworkNodeState resource, Context<NetworkNodeState> context) {
        try (var inFlight = progress.begin("teardown of " + resource.getMetadata().getName())) {
            return cleanupTracked(resource, context);
        }
    }

    private DeleteControl cleanupTracked(NetworkNodeState resource, Context<NetworkNodeState> context) {
        cleanSyncs.remove(resource.getMetadata().getName());
        if (PlanParts.isPart(resource) && !PlanParts.liveSiblings(resource, context).isEmpty()) {
            // a part dropped from a plan that goes on (it was re-split): the kernel objects belong to the remaining
            // parts, whose next sync removes whatever no part declares any more
            stopTraffic(resource);
            metrics.forget(resource);
            LOG.info("{}: part of a plan that goes on, released without teardown", resource.getMetadata().getName());
            return DeleteControl.defaultDelete();
        }
        if (PlanParts.isPart(resource)) {
            wholeSyncs.remove(resource.getSpec().getOwner().getToken());
            wholeTurns.remove(resource.getSpec().getOwner().getToken());
            cleanSyncs.remove("whole/" + resource.getSpec().getOwner().getToken());
            // the last part of a plan: alone it is not a whole plan to check (its links may end on another part's
            // switches); what the plan built is found by its owner's token marks
            return teardownByToken(resource);
        }
        PlanCheck.Refusal refusal = PlanCheck.check(resource, config.getRunRoot());
        if (refusal == null) {
            String holder = tokens.otherHolder(resource);
            refusal = holder == null ? null : tokenHeld(resource, holder);
        }
        if (refusal != null) {
            return cleanupRefused(resource, refusal);
        }
        if (traffic != null) {
            try {
                traffic.forget(resource);
            } catch (RuntimeException e) {
                LOG.warn("{}: stopping traffic failed: {}", resource.getMetadata().getName(), e.toString());
            }
        }
        if (dpdk != null && resource.getSpec() != null && !resource.getSpec().dpdkBridgesOrEmpty().isEmpty()) {
            dpdk.teardown(resource);
        }
        SyncReport report = dataplane.teardown(resource);
        metrics.record(resource, report, false);
        metrics.forget(resource);
        if (!report.errors().isEmpty()) {
            LOG.warn("{}: teardown incomplete, retrying: {}", resource.getMetadata().getName(), report.errors());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(5));
        }
        if (resource.getSpec() != null) {
            VhostUserHostSockets.removeStale(resource.getSpec());
        }
        LOG.info("{}: torn down ({} actions in {} ms)", resource.getMetadata().getName(), report.actions(), report.duration().toMillis());
        tokens.release(resource);
        return DeleteControl.defaultDelete();
    }

    private void stopTraffic(NetworkNodeState resource) {
        if (traffic != null) {
            try {
                traffic.forget(resource);
            } catch (RuntimeException e) {
                LOG.warn("{}: stopping traffic failed: {}", resource.getMetadata().getName(), e.toString());
            }
        }
    }

    /**
     * Deleting a refused plan: none of its names or paths is used. When its owner's token is genuine, what an earlier
     * (accepted) generation built is found by that token's marks alone; otherwise nothing is touched and the orphan
     * sweep of a later start removes whatever a token without a state left behind.
     */
    private DeleteControl cleanupRefused(NetworkNodeState resource, PlanCheck.Refusal refusal) {
        LOG.warn("{}: deleting a refused plan ({}): only objects marked with its owner's token are removed",
                resource.getMetadata().getName(), refusal.describe());
        return teardownByToken(resource);
    }

    /** Removes what the state's owner built on this node, found by its token's marks alone (none of its names used). */
    private DeleteControl teardownByToken(NetworkNodeState resource) {
        stopTraffic(resource);
        if (PlanCheck.checkOwner(resource) != null || tokens.otherHolder(resource) != null) {
            // a token that is not its owner's, or that another owner holds here: its marks are someone else's
            metrics.forget(resource);
            return DeleteControl.defaultDelete();
        }
        NetworkNodeState byToken = new NetworkNodeState();
        byToken.setMetadata(resource.getMetadata());
        byToken.setSpec(NetworkNodeStateSpec.builder().nodeName(resource.getSpec().getNodeName())
                .owner(resource.getSpec().getOwner()).build());
        if (dpdk != null && !resource.getSpec().dpdkBridgesOrEmpty().isEmpty()) {
            dpdk.teardown(byToken);
        }
        SyncReport report = dataplane.teardown(byToken);
        metrics.record(resource, report, false);
        metrics.forget(resource);
        if (!report.errors().isEmpty()) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(5));
        }
        tokens.release(resource);
        return DeleteControl.defaultDelete();
    }
}
