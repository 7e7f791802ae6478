package io.nfvlab.operator.bridge;

import io.nfvlab.api.plan.BridgePlanner;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeStatus;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.validation.DpdkBridgeValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.api.validation.Violations;
import io.nfvlab.operator.controller.Events;
import io.nfvlab.operator.controller.ReadyEvents;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.operator.controller.OperatorMetrics;
import io.nfvlab.api.plan.AgentNode;
import io.nfvlab.operator.nodestate.AgentNodeSources;
import io.nfvlab.operator.nodestate.NodeGoneCheck;
import io.nfvlab.operator.nodestate.NodeStatePublisher;
import io.nfvlab.operator.nodestate.NodeStateWithdrawal;
import io.nfvlab.operator.nodestate.NodeStateWriter;
import io.nfvlab.operator.nodestate.OwnerTokens;
import io.nfvlab.api.common.StoredEquality;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * DpdkBridge (cluster-scoped) → one NetworkNodeState per selected agent node with a dpdkBridges section → status.
 * Validation ({@link DpdkBridgeValidator}), planning ({@link BridgePlanner}) and aggregation
 * ({@link BridgeStatusAggregator}) are pure; this class only reads and writes Kubernetes.
 */
@ControllerConfiguration(name = DpdkBridgeReconciler.NAME, finalizerName = Nfvlab.OPERATOR_FINALIZER)
public class DpdkBridgeReconciler implements Reconciler<DpdkBridge>, Cleaner<DpdkBridge> {
    public static final String NAME = "dpdkbridge";
    public static final String KIND = "DpdkBridge";

    private final OperatorConfig config;
    private final OperatorMetrics metrics;
    private final Events events;
    private final Clock clock;
    private NodeStatePublisher<DpdkBridge> nodeStates;
    private AgentNodeSources<DpdkBridge> agents;
    private KubernetesClient client;

    public DpdkBridgeReconciler(OperatorConfig config, OperatorMetrics metrics, Events events) {
        this(config, metrics, events, Clock.systemUTC());
    }

    DpdkBridgeReconciler(OperatorConfig config, OperatorMetrics metrics, Events events, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, DpdkBridge>> prepareEventSources(EventSourceContext<DpdkBridge> context) {
        client = context.getClient();
        nodeStates = NodeStatePublisher.create(context, DpdkBridge.class, KIND, "bridgenodestates",
                NodeStateWriter.forCluster(client, config.isEmbedded(), config.getFieldManager()),
                new OwnerTokens(client, config.getSystemNamespace()));
        // the nodes whose agent is live: a node gaining or losing its agent adds or removes the bridge there
        agents = AgentNodeSources.create(context, DpdkBridge.class, "bridge", config.getSystemNamespace(),
                config.getNodeGoneGrace(), clock);
        List<EventSource<?, DpdkBridge>> sources = new java.util.ArrayList<>(agents.eventSources());
        sources.add(nodeStates.eventSource());
        return sources;
    }

    @Override
    public UpdateControl<DpdkBridge> reconcile(DpdkBridge bridge, Context<DpdkBridge> context) {
        return metrics.timeReconcile(NAME, () -> reconcileTimed(bridge, context));
    }

    private UpdateControl<DpdkBridge> reconcileTimed(DpdkBridge bridge, Context<DpdkBridge> context) {
        long generation = bridge.getMetadata().getGeneration() == null ? 0 : bridge.getMetadata().getGeneration();
        List<Violation> violations = DpdkBridgeValidator.validate(bridge.getSpec());
        if (!violations.isEmpty()) {
            // not retried: only a spec change (a new generation) brings the bridge back here
            String message = Violations.oneLine(violations);
            return writeStatus(bridge, BridgeStatusAggregator.invalid(generation, message, bridge.getStatus(), clock));
        }
        OwnerRef owner = nodeStates.ownerRef(bridge);
        List<AgentNode> agentNodes = List.copyOf(agents.live(new java.util.HashMap<>()).values());
        Map<String, NetworkNodeStateSpec> plan = BridgePlanner.plan(bridge, owner, agentNodes);
        Map<String, NetworkNodeState> current = nodeStates.publish(bridge, plan);
        DpdkBridgeStatus status = BridgeStatusAggregator.aggregate(generation, bridge.getSpec().getBridgeName(),
                plan.keySet(), current, bridge.getStatus(), clock);
        UpdateControl<DpdkBridge> control = writeStatus(bridge, status);
        // a Lease going stale produces no event: come back when one the plan relies on would
        Duration untilStale = agents.untilALeaseGoesStale(plan.keySet());
        return untilStale == null ? control : control.rescheduleAfter(untilStale);
    }

    @Override
    public DeleteControl cleanup(DpdkBridge bridge, Context<DpdkBridge> context) {
        // counted on the server, not in the cache: the finalizer goes only when the agents have really torn down, or
        // when no agent ever will (a node gone, or released by the user)
        NodeGoneCheck gone = new NodeGoneCheck(client, config.getSystemNamespace(), config.getNodeGoneGrace(), clock);
        if (new NodeStateWithdrawal<>(client, nodeStates, gone, events).step(bridge) > 0) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(1).toMillis());
        }
        nodeStates.releaseToken(bridge);
        return DeleteControl.defaultDelete();
    }

    private UpdateControl<DpdkBridge> writeStatus(DpdkBridge bridge, DpdkBridgeStatus status) {
        ReadyEvents.record(events, bridge, bridge.getStatus() == null ? null : bridge.getStatus().getConditions(), status.getConditions());
        if (StoredEquality.same(bridge.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        DpdkBridge fresh = new DpdkBridge();
        fresh.setMetadata(new ObjectMetaBuilder().withName(bridge.getMetadata().getName()).build());
        fresh.setStatus(status);
        return UpdateControl.patchStatus(fresh);
    }
}
