package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.RetrySpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.kinds.TrafficKind;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import io.nfvlab.api.validation.TrafficTestValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.api.validation.Violations;
import io.nfvlab.operator.controller.Events;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.operator.controller.OperatorMetrics;
import io.nfvlab.operator.nodestate.NodeGoneCheck;
import io.nfvlab.operator.nodestate.NodeStatePublisher;
import io.nfvlab.operator.nodestate.NodeStateWithdrawal;
import io.nfvlab.operator.nodestate.NodeStateWriter;
import io.nfvlab.operator.nodestate.OwnerTokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * TrafficTest → traffic jobs in NetworkNodeStates of the nodes hosting the sources → results in status. A run is
 * identified by its runKey (generation, runId, run number); it starts once per generation or runId, and again every
 * {@code intervalSeconds} when set. Glue only: {@link TrafficPlanner} plans, {@link TrafficOutcome} judges.
 */
@ControllerConfiguration(name = TrafficTestReconciler.NAME, finalizerName = Nfvlab.OPERATOR_FINALIZER)
public class TrafficTestReconciler implements Reconciler<TrafficTest>, Cleaner<TrafficTest> {
    public static final String NAME = "traffictest";
    public static final String KIND = "TrafficTest";
    public static final String COMPLETED = "Completed";
    public static final String PASSED = "Passed";
    public static final String REASON_INVALID_SPEC = "InvalidSpec";
    public static final String REASON_TOPOLOGY_NOT_FOUND = "TopologyNotFound";
    public static final String REASON_TOPOLOGY_NOT_READY = "TopologyNotReady";
    public static final String REASON_BRIDGE_NOT_READY = "DpdkBridgeNotReady";
    public static final String REASON_RUNNING = "Running";
    public static final String REASON_TIMEOUT = "Timeout";
    public static final String REASON_RETRYING = "Retrying";
    static final int DEFAULT_TIMEOUT_SECONDS = 300;
    private static final Duration POLL = Duration.ofSeconds(2);

    private final OperatorConfig config;
    private final OperatorMetrics metrics;
    private final Events events;
    private final Clock clock;
    private NodeStatePublisher<TrafficTest> nodeStates;
    private KubernetesClient client;

    public TrafficTestReconciler(OperatorConfig config, OperatorMetrics metrics, Events events) {
        this(config, metrics, events, Clock.systemUTC());
    }

    TrafficTestReconciler(OperatorConfig config, OperatorMetrics metrics, Events events, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, TrafficTest>> prepareEventSources(EventSourceContext<TrafficTest> context) {
        client = context.getClient();
        nodeStates = NodeStatePublisher.create(context, TrafficTest.class, KIND, "trafficnodestates",
                NodeStateWriter.forCluster(client, config.isEmbedded(), config.getFieldManager()),
                new OwnerTokens(client, config.getSystemNamespace()));
        // a topology turning Ready (or changing) wakes the tests that reference it
        InformerEventSource<VirtualTopology, TrafficTest> topologies = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(VirtualTopology.class, TrafficTest.class)
                .withName("traffictopologies")
                .withSecondaryToPrimaryMapper(t -> context.getPrimaryCache()
                        .list(test -> test.getSpec() != null && test.getSpec().getTopologyRef() != null
                                && t.getMetadata().getName().equals(test.getSpec().getTopologyRef().getName())
                                && t.getMetadata().getNamespace().equals(topologyNamespace(test)))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(nodeStates.eventSource(), topologies);
    }

    @Override
    public UpdateControl<TrafficTest> reconcile(TrafficTest test, Context<TrafficTest> context) {
        return metrics.timeReconcile(NAME, () -> reconcileTimed(test, context));
    }

    private UpdateControl<TrafficTest> reconcileTimed(TrafficTest test, Context<TrafficTest> context) {
        TrafficTestSpec spec = test.getSpec();
        long generation = test.getMetadata().getGeneration() == null ? 0 : test.getMetadata().getGeneration();
        TrafficTestStatus previous = test.getStatus() == null ? new TrafficTestStatus() : test.getStatus();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

        List<Violation> violations = TrafficTestValidator.validate(spec);
        if (!violations.isEmpty()) {
            // not retried: only a spec change (a new generation) brings the test back
            return finish(test, previous, base(previous, generation, spec, previous.getRunKey(), previous.getRuns(), previous.getStartTime()),
                    Phase.FAILED, REASON_INVALID_SPEC, Violations.oneLine(violations), null);
        }

        // which run are we in?
        boolean sameSpec = Objects.equals(previous.getObservedGeneration(), generation) && Objects.equals(previous.getObservedRunId(), spec.getRunId());
        boolean finished = previous.getPhase() == Phase.SUCCEEDED || previous.getPhase() == Phase.FAILED;
        int interval = spec.getIntervalSeconds() == null ? 0 : spec.getIntervalSeconds();
        int runs = previous.getRuns() == null ? 0 : previous.getRuns();
        String runKey = previous.getRunKey();
        String startTime = previous.getStartTime();
        boolean newRun = false;
        if (!sameSpec || runKey == null || (finished && interval > 0 && !now.isBefore(nextRunAt(previous, interval)))) {
            runs++;
            runKey = "g" + generation + "-" + (spec.getRunId() == null ? "" : spec.getRunId()) + "-" + runs;
            startTime = now.toString();
            finished = false;
            newRun = true;
        } else if (!finished && previous.getNextAttemptTime() != null && now.isBefore(Instant.parse(previous.getNextAttemptTime()))) {
            // spec.retry: the next attempt waits out its delay, whatever event woke the reconciler
            return UpdateControl.<TrafficTest>noUpdate()
                    .rescheduleAfter(Duration.between(now, Instant.parse(previous.getNextAttemptTime())).plusMillis(100));
        } else if (finished) {
            return interval > 0 ? UpdateControl.<TrafficTest>noUpdate().rescheduleAfter(Duration.between(now, nextRunAt(previous, interval)).plusMillis(100))
                    : UpdateControl.noUpdate();
        }
        TrafficTestStatus status = base(previous, generation, spec, runKey, runs, startTime);
        status.setNextAttemptTime(null);
        if (newRun) {
            status.setAttempt(spec.getRetry() == null ? null : 1);
        }
        int timeout = spec.getTimeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : spec.getTimeoutSeconds();
        boolean timedOut = now.isAfter(Instant.parse(startTime).plusSeconds(timeout));

        // where does it run?
        Map<String, List<TrafficJob>> plan;
        TrafficKind.Placement placement = TrafficKinds.of(spec.getType()).placement(spec);
        if (placement == TrafficKind.Placement.BRIDGE_PORTS) {
            Optional<String> node = testpmdNode(test);
            if (node.isEmpty()) {
                return waiting(test, previous, status, REASON_BRIDGE_NOT_READY, "DpdkBridge " + spec.getTestpmd().getBridgeRef()
                        + " is not Ready on any node (set spec.testpmd.node to choose one)", timedOut, timeout);
            }
            plan = TrafficPlanner.planTestpmd(ns(test), name(test), spec, node.get(), runKey);
        } else {
            String topologyNs = topologyNamespace(test);
            String topologyName = spec.getTopologyRef().getName();
            VirtualTopology topology = client.resources(VirtualTopology.class).inNamespace(topologyNs).withName(topologyName).get();
            if (topology == null || topology.isMarkedForDeletion()) {
                // jobs still running on a topology that is going are stopped now, not waited for: their hosts go with it
                if (previous.getPhase() == Phase.RUNNING) {
                    nodeStates.withdraw(test);
                }
                return waiting(test, previous, status, REASON_TOPOLOGY_NOT_FOUND, "VirtualTopology " + topologyNs + "/" + topologyName
                        + " (spec.topologyRef) " + (topology == null ? "does not exist" : "is being deleted"), timedOut, timeout);
            }
            if (!ready(topology)) {
                String why = topology.getStatus() == null ? "no status yet" : Conditions.find(topology.getStatus().getConditions(), Conditions.READY)
                        .map(c -> c.getReason() + (c.getMessage() == null || c.getMessage().isEmpty() ? "" : ": " + c.getMessage())).orElse("no Ready condition");
                return waiting(test, previous, status, REASON_TOPOLOGY_NOT_READY, "VirtualTopology " + topologyName + " is not Ready (" + why + ")",
                        timedOut, timeout);
            }
            List<Violation> unfit = new ArrayList<>();
            TrafficTestSpec onTopology = TrafficKinds.of(spec.getType()).onTopology(spec, () -> TopologyExpander.expand(topology.getSpec()),
                    (field, message) -> unfit.add(new Violation(field, message)));
            if (!unfit.isEmpty()) {
                return finish(test, previous, status, Phase.FAILED, REASON_INVALID_SPEC, Violations.oneLine(unfit), null);
            }
            if (placement == TrafficKind.Placement.VHOST_USER_HOSTS) {
                List<VirtualTopologyStatus.HostStatus> placed = topology.getStatus().getHostAddresses() == null ? List.of()
                        : topology.getStatus().getHostAddresses();
                List<Violation> misfit = TrafficTestValidator.validateTestpmdHosts(spec, placed.stream()
                        .filter(h -> h.getVhostUser() != null && !h.getVhostUser().isEmpty()).map(VirtualTopologyStatus.HostStatus::getName).toList());
                if (misfit.isEmpty()) {
                    try {
                        plan = TrafficPlanner.planTestpmdOnHosts(ns(test), name(test), onTopology, placed, runKey);
                    } catch (IllegalArgumentException e) {
                        misfit = List.of(new Violation("spec.testpmd.hosts", e.getMessage()));
                        plan = Map.of();
                    }
                } else {
                    plan = Map.of();
                }
                if (!misfit.isEmpty()) {
                    return finish(test, previous, status, Phase.FAILED, REASON_INVALID_SPEC, Violations.oneLine(misfit), null);
                }
            } else {
                List<TrafficPlanner.HostInfo> hosts = hostsOf(topology);
                List<Violation> misfit = TrafficTestValidator.validateAgainst(spec, hosts.stream().map(TrafficPlanner.HostInfo::name).toList());
                if (!misfit.isEmpty()) {
                    return finish(test, previous, status, Phase.FAILED, REASON_INVALID_SPEC, Violations.oneLine(misfit), null);
                }
                plan = TrafficPlanner.plan(ns(test), name(test), onTopology, hosts, runKey, true);
            }
        }

        // the agent kills each job at the test's timeout, even when this operator is not there to end the run
        plan.values().forEach(jobs -> jobs.forEach(j -> j.setTimeoutSeconds(timeout)));
        Map<String, NetworkNodeState> states = publish(test, plan);
        Optional<TrafficOutcome> outcome = TrafficOutcome.collect(spec, plan, states);
        if (outcome.isEmpty()) {
            if (timedOut) {
                return finish(test, previous, status, Phase.FAILED, REASON_TIMEOUT, "no results from node(s) " + String.join(", ", plan.keySet())
                        + " within spec.timeoutSeconds (" + timeout + ")", null);
            }
            status.setPhase(Phase.RUNNING);
            status.setMessage("running on node(s) " + String.join(", ", plan.keySet())
                    + TrafficOutcome.progress(plan, states).map(p -> ": " + p).orElse(""));
            status.setConditions(conditions(status.getConditions(), generation, false, REASON_RUNNING, status.getMessage(), null));
            return write(test, status).rescheduleAfter(POLL);
        }
        TrafficOutcome o = outcome.get();
        RetrySpec retry = spec.getRetry();
        Integer attempt = status.getAttempt();
        if (retry != null && attempt != null && o.phase() == Phase.FAILED && attempt < retry.getAttempts() && !timedOut) {
            return nextAttempt(test, status, o, retry, attempt, now);
        }
        status.setResults(TrafficOutcome.forStatus(o.results()));
        status.setTrials(o.trials().isEmpty() ? null : o.trials());
        status.setFoundRate(o.foundRate());
        status.setRfc2544(o.rfc2544().isEmpty() ? null : o.rfc2544());
        status.setSummary(o.summary());
        // the run is over: drop the server jobs so that no iperf3 server waits for nothing
        if (plan.values().stream().flatMap(List::stream).anyMatch(j -> j.getRole() == TrafficJob.Role.SERVER)) {
            Map<String, List<TrafficJob>> clientsOnly = new TreeMap<>();
            plan.forEach((node, jobs) -> {
                List<TrafficJob> clients = jobs.stream().filter(j -> j.getRole() == TrafficJob.Role.CLIENT).toList();
                if (!clients.isEmpty()) {
                    clientsOnly.put(node, clients);
                }
            });
            publish(test, clientsOnly);
        }
        String message = o.results().size() > TrafficOutcome.MAX_STATUS_PAIRS
                ? o.message() + " (status lists " + TrafficOutcome.MAX_STATUS_PAIRS + " of " + o.results().size() + " pairs, those with loss or errors first)"
                : o.message();
        if (retry != null && attempt != null) {
            message = message + (o.phase() == Phase.SUCCEEDED ? " (passed on attempt " : " (failed on attempt ") + attempt
                    + " of " + retry.getAttempts() + ")";
        }
        return finish(test, previous, status, o.phase(), o.reason(), message, interval);
    }

    /**
     * spec.retry: a failed attempt is reported as such (its results and why it failed stay in the status) and the
     * next one gets a run key of its own, so that the agents run the jobs again after the delay.
     */
    private UpdateControl<TrafficTest> nextAttempt(TrafficTest test, TrafficTestStatus status, TrafficOutcome o,
                                                   RetrySpec retry, int attempt, Instant now) {
        int next = attempt + 1;
        status.setResults(TrafficOutcome.forStatus(o.results()));
        status.setSummary(o.summary());
        status.setAttempt(next);
        status.setRunKey(status.getRunKey().replaceFirst("-a[0-9]+$", "") + "-a" + next);
        status.setNextAttemptTime(now.plusSeconds(retry.delayOrDefault()).toString());
        status.setPhase(Phase.RUNNING);
        status.setMessage("attempt " + attempt + " of " + retry.getAttempts() + " failed (" + o.message() + "); attempt "
                + next + " in " + retry.delayOrDefault() + " s");
        status.setConditions(conditions(status.getConditions(), status.getObservedGeneration(), false, REASON_RETRYING,
                status.getMessage(), null));
        return write(test, status).rescheduleAfter(Duration.ofSeconds(retry.delayOrDefault()).plusMillis(100));
    }

    private static Instant nextRunAt(TrafficTestStatus previous, int interval) {
        String from = previous.getCompletionTime() != null ? previous.getCompletionTime() : previous.getStartTime();
        return Instant.parse(from).plusSeconds(interval);
    }

    private TrafficTestStatus base(TrafficTestStatus previous, long generation, TrafficTestSpec spec, String runKey, Integer runs, String startTime) {
        TrafficTestStatus s = previous.toBuilder().build();
        s.setObservedGeneration(generation);
        s.setObservedRunId(spec == null ? null : spec.getRunId());
        s.setRunKey(runKey);
        s.setRuns(runs);
        s.setStartTime(startTime);
        if (!Objects.equals(runKey, previous.getRunKey())) {
            // a new run: the last run's figures no longer describe this one
            s.setCompletionTime(null);
            s.setResults(null);
            s.setTrials(null);
            s.setFoundRate(null);
            s.setRfc2544(null);
            s.setSummary(null);
        }
        return s;
    }

    private UpdateControl<TrafficTest> waiting(TrafficTest test, TrafficTestStatus previous, TrafficTestStatus status, String reason,
                                               String message, boolean timedOut, int timeout) {
        if (timedOut) {
            return finish(test, previous, status, Phase.FAILED, REASON_TIMEOUT, message + " after spec.timeoutSeconds (" + timeout + ")", null);
        }
        status.setPhase(Phase.PENDING);
        status.setMessage(message);
        status.setConditions(conditions(status.getConditions(), status.getObservedGeneration(), false, reason, message, null));
        return write(test, status).rescheduleAfter(POLL);
    }

    private UpdateControl<TrafficTest> finish(TrafficTest test, TrafficTestStatus previous, TrafficTestStatus status, Phase phase,
                                              String reason, String message, Integer interval) {
        status.setPhase(phase);
        status.setMessage(message);
        if (status.getCompletionTime() == null || !Objects.equals(previous.getRunKey(), status.getRunKey()) || previous.getPhase() != phase) {
            status.setCompletionTime(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        status.setConditions(conditions(status.getConditions(), status.getObservedGeneration(), true, reason, message, phase == Phase.SUCCEEDED));
        boolean newlyFinished = !(Objects.equals(previous.getRunKey(), status.getRunKey())
                && (previous.getPhase() == Phase.SUCCEEDED || previous.getPhase() == Phase.FAILED))
                || previous.getPhase() != phase;
        if (newlyFinished) {
            metrics.verdict(phase == Phase.SUCCEEDED ? "succeeded" : "failed").increment();
            if (phase == Phase.SUCCEEDED) {
                events.normal(test, reason, status.getSummary() == null ? message : status.getSummary());
            } else {
                events.warning(test, reason, message);
            }
        }
        UpdateControl<TrafficTest> control = write(test, status);
        return interval != null && interval > 0 ? control.rescheduleAfter(Duration.ofSeconds(interval).plusMillis(100)) : control;
    }

    private List<io.fabric8.kubernetes.api.model.Condition> conditions(List<io.fabric8.kubernetes.api.model.Condition> current,
                                                                             Long generation, boolean completed, String reason,
                                                                             String message, Boolean passed) {
        // Completed (the run is over), Passed (its verdict) and the summary Ready that every nfvlab object carries:
        // True only for a run that passed, so `kubectl wait --for=condition=Ready` waits for a passing test
        // — and for kstatus a run in progress is Reconciling, a run that failed (or timed out, or an invalid spec) Stalled
        var c = Conditions.set(current, COMPLETED, completed ? Conditions.TRUE : Conditions.FALSE, reason, message, generation, clock);
        c = Conditions.set(c, PASSED, passed == null ? Conditions.UNKNOWN : passed ? Conditions.TRUE : Conditions.FALSE,
                reason, message, generation, clock);
        c = Conditions.stand(c, !completed ? Conditions.Standing.RECONCILING
                : Boolean.TRUE.equals(passed) ? Conditions.Standing.SETTLED : Conditions.Standing.STALLED, reason, message, generation, clock);
        return Conditions.set(c, Conditions.READY, Boolean.TRUE.equals(passed) ? Conditions.TRUE : Conditions.FALSE,
                reason, message, generation, clock);
    }

    private UpdateControl<TrafficTest> write(TrafficTest test, TrafficTestStatus status) {
        if (Objects.equals(test.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        TrafficTest fresh = new TrafficTest();
        fresh.setMetadata(new ObjectMetaBuilder().withName(name(test)).withNamespace(ns(test)).build());
        fresh.setStatus(status);
        return UpdateControl.patchStatus(fresh);
    }

    /**
     * Publishes each node's traffic jobs. Traffic states are written without the agent's finalizer (their jobs live in
     * the agent's memory and stop when the state goes); the agent adds its own once it runs them.
     */
    private Map<String, NetworkNodeState> publish(TrafficTest test, Map<String, List<TrafficJob>> plan) {
        OwnerRef owner = nodeStates.ownerRef(test);
        Map<String, NetworkNodeStateSpec> specs = new TreeMap<>();
        plan.forEach((node, jobs) -> specs.put(node, NetworkNodeStateSpec.builder().nodeName(node).owner(owner).trafficJobs(jobs).build()));
        return nodeStates.publish(test, specs);
    }

    /**
     * Waits until the test's states are gone: the operator writes them without the agent's finalizer, but an agent
     * adds it once it runs their jobs, and a state whose node is gone would otherwise stay behind forever.
     */
    @Override
    public DeleteControl cleanup(TrafficTest test, Context<TrafficTest> context) {
        // read the server, not the cache, so that no state created just now is missed
        NodeGoneCheck gone = new NodeGoneCheck(client, config.getSystemNamespace(), config.getNodeGoneGrace(), clock);
        if (new NodeStateWithdrawal<>(client, nodeStates, gone, events).step(test) > 0) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(1).toMillis());
        }
        // its states name no kernel object (the jobs run in the topology's namespaces): nothing more to wait for
        nodeStates.releaseToken(test);
        return DeleteControl.defaultDelete();
    }

    private Optional<String> testpmdNode(TrafficTest test) {
        if (test.getSpec().getTestpmd().getNode() != null) {
            return Optional.of(test.getSpec().getTestpmd().getNode());
        }
        DpdkBridge bridge = client.resources(DpdkBridge.class).withName(test.getSpec().getTestpmd().getBridgeRef()).get();
        if (bridge == null || bridge.getStatus() == null || bridge.getStatus().getNodes() == null) {
            return Optional.empty();
        }
        return bridge.getStatus().getNodes().stream().filter(n -> Boolean.TRUE.equals(n.getBridgeUp())).map(NodeBridgeStatus::getNode).sorted().findFirst();
    }

    private static boolean ready(VirtualTopology t) {
        return t.getStatus() != null && Objects.equals(t.getStatus().getObservedGeneration(), t.getMetadata().getGeneration())
                && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
    }

    /**
     * The topology's hosts in Mininet's order, placed and addressed, as its status lists them; vhostUser hosts have no
     * namespace to run ping or iperf3 in and are left out (testpmd attaches to their ports).
     */
    static List<TrafficPlanner.HostInfo> hostsOf(VirtualTopology topology) {
        List<TrafficPlanner.HostInfo> hosts = new ArrayList<>();
        if (topology.getStatus().getHostAddresses() == null) {
            return hosts;
        }
        for (VirtualTopologyStatus.HostStatus h : topology.getStatus().getHostAddresses()) {
            if (h.getNetns() == null || h.getAddress() == null) {
                continue;
            }
            hosts.add(new TrafficPlanner.HostInfo(h.getName(), h.getNode(), h.getNetns(), h.getAddress()));
        }
        return hosts;
    }

    private static String topologyNamespace(TrafficTest test) {
        var ref = test.getSpec().getTopologyRef();
        return ref != null && ref.getNamespace() != null ? ref.getNamespace() : ns(test);
    }

    private static String ns(TrafficTest t) {
        return t.getMetadata().getNamespace();
    }

    private static String name(TrafficTest t) {
        return t.getMetadata().getName();
    }
}
