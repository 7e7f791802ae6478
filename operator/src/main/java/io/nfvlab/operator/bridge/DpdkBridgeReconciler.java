package io.nfvlab.operator.bridge;

import io.nfvlab.api.plan.BridgePlanner;
import io.fabric8.kubernetes.api.model.Node;
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
import io.nfvlab.operator.nodestate.NodeStatePublisher;
import io.nfvlab.operator.nodestate.NodeStatePublisher.Teardown;
import io.nfvlab.operator.nodestate.NodeStateWriter;
import io.nfvlab.api.common.StoredEquality;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

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
    private InformerEventSource<Node, DpdkBridge> nodes;
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
        nodeStates = NodeStatePublisher.create(context, DpdkBridge.class, KIND, "bridgenodestates", Teardown.BY_AGENT,
                NodeStateWriter.forCluster(client, config.isEmbedded(), config.getFieldManager()));
        nodes = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Node.class, DpdkBridge.class)
                .withName("bridgeagentnodes")
                .withLabelSelector(Nfvlab.AGENT_LABEL)
                .withOnUpdateFilter((fresh, old) -> !Objects.equals(fresh.getMetadata().getLabels(), old.getMetadata().getLabels()))
                .withSecondaryToPrimaryMapper(n -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(nodeStates.eventSource(), nodes);
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
        List<AgentNode> agentNodes = nodes.list(AgentNode::hasAgent).map(AgentNode::of).toList();
        Map<String, NetworkNodeStateSpec> plan = BridgePlanner.plan(bridge, owner, agentNodes);
        Map<String, NetworkNodeState> current = nodeStates.publish(bridge, plan);
        DpdkBridgeStatus status = BridgeStatusAggregator.aggregate(generation, bridge.getSpec().getBridgeName(),
                plan.keySet(), current, bridge.getStatus(), clock);
        return writeStatus(bridge, status);
    }

    @Override
    public DeleteControl cleanup(DpdkBridge bridge, Context<DpdkBridge> context) {
        // counted on the server, not in the cache: the finalizer goes only when the agents have really torn down
        if (nodeStates.withdraw(bridge) > 0) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(1).toMillis());
        }
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
