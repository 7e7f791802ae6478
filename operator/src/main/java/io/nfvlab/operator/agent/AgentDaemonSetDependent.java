package io.nfvlab.operator.agent;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.nfvlab.operator.OperatorConfig;

/** The agent DaemonSet, owned by the operator's system Namespace (so deleting the namespace removes it). */
public class AgentDaemonSetDependent extends CRUDKubernetesDependentResource<DaemonSet, Namespace> {
    private final OperatorConfig config;

    public AgentDaemonSetDependent(OperatorConfig config) {
        super(DaemonSet.class);
        this.config = config;
    }

    @Override
    protected DaemonSet desired(Namespace primary, Context<Namespace> context) {
        return AgentDaemonSet.desired(config);
    }

    @Override
    protected InformerEventSourceConfiguration.Builder<DaemonSet> informerConfigurationBuilder(EventSourceContext<Namespace> context) {
        return super.informerConfigurationBuilder(context)
                .withNamespaces(config.getSystemNamespace())
                .withLabelSelector(AgentDaemonSet.APP_LABEL + "=" + AgentDaemonSet.NAME);
    }
}
