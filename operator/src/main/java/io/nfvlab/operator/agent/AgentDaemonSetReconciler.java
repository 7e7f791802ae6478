package io.nfvlab.operator.agent;

import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.nfvlab.operator.OperatorConfig;

import java.util.List;

/**
 * Keeps the agent DaemonSet as configured. The primary is the operator's system Namespace (selected by the
 * {@code kubernetes.io/metadata.name} label every namespace carries): the DaemonSet is its standalone dependent,
 * recreated when deleted and restored when edited.
 */
@ControllerConfiguration(name = AgentDaemonSetReconciler.NAME)
public class AgentDaemonSetReconciler implements Reconciler<Namespace> {
    public static final String NAME = "agent-daemonset";
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final OperatorConfig config;
    private final AgentDaemonSetDependent daemonSet;

    public AgentDaemonSetReconciler(OperatorConfig config) {
        this.config = config;
        this.daemonSet = new AgentDaemonSetDependent(config);
    }

    /** The label selector the controller's Namespace informer needs. */
    public String namespaceSelector() {
        return NAMESPACE_NAME_LABEL + "=" + config.getSystemNamespace();
    }

    @Override
    public List<EventSource<?, Namespace>> prepareEventSources(EventSourceContext<Namespace> context) {
        return List.of(daemonSet.eventSource(context).orElseThrow());
    }

    @Override
    public UpdateControl<Namespace> reconcile(Namespace namespace, Context<Namespace> context) {
        if (namespace.getMetadata().getDeletionTimestamp() == null) {
            daemonSet.reconcile(namespace, context);
        }
        return UpdateControl.noUpdate();
    }
}
