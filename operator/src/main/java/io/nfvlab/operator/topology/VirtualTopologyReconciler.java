package io.nfvlab.operator.topology;

import io.nfvlab.operator.nodestate.AgentNodeSources;
import io.nfvlab.operator.nodestate.NodeGoneCheck;
import io.nfvlab.operator.nodestate.NodeStateWithdrawal;
import io.nfvlab.api.plan.Placement;
import io.nfvlab.api.plan.PlacementException;
import io.nfvlab.api.plan.DpdkSwitches;
import io.nfvlab.api.plan.NodePlanner;
import io.nfvlab.operator.nodestate.NodeStatePublisher;
import io.nfvlab.operator.nodestate.NodeStateWriter;
import io.nfvlab.operator.nodestate.OwnerTokens;
import io.nfvlab.api.plan.AgentNode;
import io.nfvlab.api.common.StoredEquality;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.operator.controller.Events;
import io.nfvlab.operator.controller.ReadyEvents;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.operator.controller.OperatorMetrics;
import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.expansion.LinkProfiles;
import io.nfvlab.api.profile.LinkProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * VirtualTopology → one NetworkNodeState per node → status. Glue only: the work is done by the pure
 * {@link TopologyValidation} (which also expands the spec, once per reconcile), {@link Placement}, {@link VniRegistry},
 * {@link NodePlanner} and {@link StatusAggregator}; {@link NodeStatePublisher} writes the node states.
 */
@ControllerConfiguration(name = VirtualTopologyReconciler.NAME, finalizerName = Nfvlab.OPERATOR_FINALIZER)
public class VirtualTopologyReconciler implements Reconciler<VirtualTopology>, Cleaner<VirtualTopology> {
    public static final String NAME = "virtualtopology";
    public static final String KIND = "VirtualTopology";
    static final Duration PROGRESS_RECHECK = Duration.ofSeconds(5);
    static final Duration TEARDOWN_RECHECK = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(VirtualTopologyReconciler.class);

    private final OperatorConfig config;
    private final OperatorMetrics metrics;
    private final Events events;
    private final Clock clock;
    private final VniRegistry vnis = new VniRegistry();
    private NodeStatePublisher<VirtualTopology> nodeStates;
    private AgentNodeSources<VirtualTopology> agents;
    /** Null when no DpdkBridge can exist ({@link OperatorConfig#isDpdkBridges()}): every name is then unknown. */
    private InformerEventSource<DpdkBridge, VirtualTopology> dpdkBridges;
    /** Null when no LinkProfile can exist ({@link OperatorConfig#isLinkProfiles()}): every name is then unknown. */
    private InformerEventSource<LinkProfile, VirtualTopology> linkProfiles;
    private io.fabric8.kubernetes.client.KubernetesClient client;
    private PodHosts podHosts;

    public VirtualTopologyReconciler(OperatorConfig config, OperatorMetrics metrics, Events events) {
        this(config, metrics, events, Clock.systemUTC());
    }

    VirtualTopologyReconciler(OperatorConfig config, OperatorMetrics metrics, Events events, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, VirtualTopology>> prepareEventSources(EventSourceContext<VirtualTopology> context) {
        client = context.getClient();
        podHosts = new PodHosts(client, config.getPodHostsNetwork() != null ? config.getPodHostsNetwork()
                : config.getSystemNamespace() + "/" + PodHostPod.NETWORK_NAME, config.isPodHosts());
        nodeStates = NodeStatePublisher.create(context, VirtualTopology.class, KIND, "nodestates",
                NodeStateWriter.forCluster(client, config.isEmbedded(), config.getFieldManager()),
                new OwnerTokens(client, config.getSystemNamespace()));
        // an agent appearing, going, going stale or coming back can make any topology placeable or move it
        agents = AgentNodeSources.create(context, VirtualTopology.class, "topology", config.getSystemNamespace(),
                config.getNodeGoneGrace(), clock);
        List<EventSource<?, VirtualTopology>> sources = new java.util.ArrayList<>(agents.eventSources());
        sources.add(nodeStates.eventSource());
        if (config.isDpdkBridges()) {
            sources.add(dpdkBridgeSource(context));
        }
        if (config.isLinkProfiles()) {
            sources.add(linkProfileSource(context));
        }
        return sources;
    }

    /** A DpdkBridge appearing, going or changing its spec (bridge name, nodes, flows) re-plans the topologies on it. */
    private InformerEventSource<DpdkBridge, VirtualTopology> dpdkBridgeSource(EventSourceContext<VirtualTopology> context) {
        dpdkBridges = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(DpdkBridge.class, VirtualTopology.class)
                .withName("topologydpdkbridges")
                .withOnUpdateFilter((fresh, old) -> !Objects.equals(fresh.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                        || !Objects.equals(fresh.getMetadata().getDeletionTimestamp(), old.getMetadata().getDeletionTimestamp()))
                .withSecondaryToPrimaryMapper(b -> context.getPrimaryCache()
                        .list(t -> referencesDpdkBridge(t, b.getMetadata().getName()))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return dpdkBridges;
    }

    /** A LinkProfile appearing, going or changing its values re-plans every topology that names it. */
    private InformerEventSource<LinkProfile, VirtualTopology> linkProfileSource(EventSourceContext<VirtualTopology> context) {
        linkProfiles = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(LinkProfile.class, VirtualTopology.class)
                .withName("topologylinkprofiles")
                .withOnUpdateFilter((fresh, old) -> !Objects.equals(fresh.getSpec(), old.getSpec()))
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache()
                        .list(t -> LinkProfiles.namedBy(t.getSpec()).contains(p.getMetadata().getName()))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return linkProfiles;
    }

    /** The profiles the topology names, from the informer's cache; a profile being deleted counts as gone. */
    private LinkProfiles profilesOf(VirtualTopology topology) {
        return LinkProfiles.resolve(topology.getSpec(), name -> linkProfiles == null ? null : linkProfiles.get(new ResourceID(name))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getSpec() != null)
                .map(LinkProfile::getSpec).orElse(null));
    }

    private static List<VirtualTopologyStatus.ProfileInForce> inForce(LinkProfiles profiles) {
        if (profiles.inForce().isEmpty()) {
            return null;
        }
        return profiles.inForce().entrySet().stream()
                .map(e -> VirtualTopologyStatus.ProfileInForce.builder().name(e.getKey()).values(e.getValue()).build())
                .toList();
    }

    private static boolean referencesDpdkBridge(VirtualTopology t, String bridge) {
        return t.getSpec() != null && (bridge.equals(t.getSpec().getBridgeRef())
                || t.getSpec().switchesOrEmpty().stream().anyMatch(s -> bridge.equals(s.getBridgeRef())));
    }

    @Override
    public UpdateControl<VirtualTopology> reconcile(VirtualTopology topology, Context<VirtualTopology> context) {
        return metrics.timeReconcile(NAME, () -> reconcileTimed(topology, context));
    }

    private UpdateControl<VirtualTopology> reconcileTimed(VirtualTopology topology, Context<VirtualTopology> context) {
        long generation = topology.getMetadata().getGeneration() == null ? 0 : topology.getMetadata().getGeneration();
        String key = key(topology);
        VirtualTopologyStatus previous = topology.getStatus();

        LinkProfiles profiles = topology.getSpec() == null ? LinkProfiles.none() : profilesOf(topology);
        TopologyValidator.Checked checked = TopologyValidation.check(topology, profiles);
        if (!checked.valid()) {
            // no retry: the status says what to fix, and only a spec change (a new generation) or a change of a profile
            // it names brings us back
            String message = checked.violations().stream().map(io.nfvlab.api.validation.Violation::toString).collect(Collectors.joining("; "));
            metrics.topologyState(key, "invalid");
            return notReady(topology, generation, StatusAggregator.REASON_INVALID_SPEC, message, false);
        }
        if (!profiles.missing().isEmpty()) {
            // the network stays as last planned; the LinkProfile watch brings us back when the profile is created
            String message = profiles.missing().stream().map(LinkProfiles.Missing::message).collect(Collectors.joining("; "))
                    + " (create it or take it out of the list; the links keep what they were last given)";
            metrics.topologyState(key, "invalid");
            return notReady(topology, generation, LinkProfiles.PROFILE_NOT_FOUND, message, Conditions.Standing.RECONCILING);
        }

        Map<String, NetworkNodeState> existing = nodeStates.published(topology);
        OwnerRef owner;
        try {
            owner = nodeStates.ownerRef(topology);
        } catch (OwnerTokens.NoFreeToken e) {
            metrics.topologyState(key, "invalid");
            return notReady(topology, generation, OwnerTokens.REASON_NO_FREE_TOKEN, e.getMessage(), false);
        }
        Map<String, String> notLive = new TreeMap<>();
        Map<String, AgentNode> agentNodes = agents.live(notLive);
        TopologyGraph graph = checked.graph();
        Map<String, NetworkNodeStateSpec> plan;
        Map<String, Integer> allocated;
        Map<String, String> placement;
        try {
            DpdkSwitches dpdk = DpdkSwitches.of(graph, name -> dpdkBridges == null ? null
                    : dpdkBridges.get(new ResourceID(name)).orElse(null));
            Map<String, String> pins = podHosts.referencedPodNodes(topology, graph);
            placement = metrics.timePlan(NAME, () -> Placement.place(graph, topology.getSpec().getPlacement(),
                    List.copyOf(agentNodes.values()), previousPlacement(existing), dpdk.switchNodes(agentNodes.values()), pins));
            allocated = vnis.allocate(owner.getUid(), owner.getToken(), NodePlanner.crossNodeLinks(graph, placement),
                    previousVnis(previous, existing), () -> vnisOfOthers(owner.getUid()), config.getVniRange());
            NodePlanner.Settings settings = new NodePlanner.Settings(config.getVxlanPort(), config.getUnderlayMtu(),
                    Boolean.TRUE.equals(topology.getSpec().getStaticArp()), dpdk.targets());
            plan = metrics.timePlan(NAME, () -> NodePlanner.plan(graph, placement, owner, agentNodes, allocated, settings));
        } catch (PlacementException e) {
            metrics.topologyState(key, "unschedulable");
            String message = notLive.isEmpty() ? e.getMessage() : e.getMessage() + " (agents not counted: "
                    + String.join("; ", notLive.values()) + ")";
            UpdateControl<VirtualTopology> control = notReady(topology, generation, e.reason(), message, standingOf(e));
            // no watch on pods: look again while a referenced pod is missing or unscheduled
            return PodHosts.POD_NOT_FOUND.equals(e.reason()) || PodHosts.POD_NOT_SCHEDULED.equals(e.reason())
                    ? control.rescheduleAfter(PROGRESS_RECHECK) : control;
        }

        Map<String, NetworkNodeState> current;
        try {
            current = nodeStates.publish(topology, plan);
        } catch (PlacementException e) {
            // one item of the plan alone would not fit in a NetworkNodeState (NodeStateShards.PLAN_TOO_LARGE)
            metrics.topologyState(key, "invalid");
            return notReady(topology, generation, e.reason(), e.getMessage(), false);
        }
        // after the plan is published: the pod's sandbox is looked for only by an agent that has the host in its plan
        podHosts.ensure(topology, podHosts.desired(topology, owner.getToken(), graph, placement, agentNodes));
        VirtualTopologyStatus status = StatusAggregator.aggregate(generation, graph, plan, current, allocated, previous, clock);
        status.setToken(owner.getToken());
        status.setProfiles(inForce(profiles));
        boolean ready = Conditions.isTrue(status.getConditions(), Conditions.READY);
        metrics.topologyState(key, ready ? "ready"
                : Conditions.isTrue(status.getConditions(), Conditions.DEGRADED) ? "degraded" : "progressing");
        ReadyEvents.record(events, topology, previous == null ? null : previous.getConditions(), status.getConditions());
        UpdateControl<VirtualTopology> control = writeStatus(topology, status);
        // node state events wake us as agents report; the timer is the safety net should one get lost
        if (!ready) {
            return control.rescheduleAfter(PROGRESS_RECHECK);
        }
        Duration untilStale = agents.untilALeaseGoesStale(plan.keySet());
        return untilStale == null ? control : control.rescheduleAfter(untilStale);
    }

    @Override
    public DeleteControl cleanup(VirtualTopology topology, Context<VirtualTopology> context) {
        // first: the kubelet's CNI DEL for each sandbox then takes nfvlab's interfaces out while the agents tear down
        podHosts.deleteAll(topology);
        NodeGoneCheck gone = new NodeGoneCheck(client, config.getSystemNamespace(), config.getNodeGoneGrace(), clock);
        int remaining = new NodeStateWithdrawal<>(client, nodeStates, gone, events).step(topology);
        if (remaining > 0) {
            LOG.debug("{}: waiting for {} agent(s) to tear down", key(topology), remaining);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(TEARDOWN_RECHECK.toMillis());
        }
        vnis.release(topology.getMetadata().getUid());
        // before the finalizer goes: a crash in between releases again on the next cleanup, never leaks the record
        nodeStates.releaseToken(topology);
        metrics.topologyGone(key(topology));
        return DeleteControl.defaultDelete();
    }

    /**
     * A topology waiting for a DpdkBridge that may be applied with it (GitOps applies a whole folder) is still
     * reconciling; every other placement failure needs a change to the topology or the cluster, so tools are told it
     * is stalled instead of waiting for their timeout.
     */
    private static Conditions.Standing standingOf(PlacementException e) {
        return NodePlanner.DPDK_BRIDGE_NOT_FOUND.equals(e.reason()) || PodHosts.POD_NOT_FOUND.equals(e.reason())
                || PodHosts.POD_NOT_SCHEDULED.equals(e.reason()) ? Conditions.Standing.RECONCILING : Conditions.Standing.STALLED;
    }

    private UpdateControl<VirtualTopology> notReady(VirtualTopology topology, long generation, String reason, String message,
                                                    boolean progressing) {
        return notReady(topology, generation, reason, message, progressing ? Conditions.Standing.RECONCILING : Conditions.Standing.STALLED);
    }

    private UpdateControl<VirtualTopology> notReady(VirtualTopology topology, long generation, String reason, String message,
                                                    Conditions.Standing standing) {
        VirtualTopologyStatus status = StatusAggregator.notReady(generation, reason, message, standing, topology.getStatus(), clock);
        ReadyEvents.record(events, topology, topology.getStatus() == null ? null : topology.getStatus().getConditions(), status.getConditions());
        return writeStatus(topology, status);
    }

    private static UpdateControl<VirtualTopology> writeStatus(VirtualTopology topology, VirtualTopologyStatus status) {
        if (StoredEquality.same(topology.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        VirtualTopology fresh = new VirtualTopology();
        fresh.setMetadata(new ObjectMetaBuilder()
                .withName(topology.getMetadata().getName())
                .withNamespace(topology.getMetadata().getNamespace())
                .build());
        fresh.setStatus(status);
        return UpdateControl.patchStatus(fresh);
    }

    private static Map<String, String> previousPlacement(Map<String, NetworkNodeState> existing) {
        Map<String, String> result = new HashMap<>();
        existing.forEach((node, state) -> {
            if (state.getMetadata().getDeletionTimestamp() == null) {
                state.getSpec().hostsOrEmpty().forEach(h -> result.put(h.getName(), node));
                state.getSpec().switchesOrEmpty().forEach(s -> result.put(s.getName(), node));
            }
        });
        return result;
    }

    /** VNIs recorded in the status, and in the published states (in case the status write was lost). */
    private static Map<String, Integer> previousVnis(VirtualTopologyStatus status, Map<String, NetworkNodeState> existing) {
        Map<String, Integer> result = new HashMap<>();
        existing.values().forEach(s -> s.getSpec().tunnelsOrEmpty().forEach(t -> result.put(t.getId(), t.getVni())));
        if (status != null && status.getTunnels() != null) {
            status.getTunnels().forEach(t -> result.put(t.getLink(), t.getVni()));
        }
        return result;
    }

    private Set<Integer> vnisOfOthers(String ownerUid) {
        Set<Integer> result = new HashSet<>();
        nodeStates.all(s -> s.getSpec() != null && s.getSpec().getOwner() != null
                        && !Objects.equals(ownerUid, s.getSpec().getOwner().getUid()))
                .forEach(s -> s.getSpec().tunnelsOrEmpty().stream().map(PlannedTunnel::getVni).forEach(result::add));
        return result;
    }

    private static String key(VirtualTopology topology) {
        return topology.getMetadata().getNamespace() + "/" + topology.getMetadata().getName();
    }
}
