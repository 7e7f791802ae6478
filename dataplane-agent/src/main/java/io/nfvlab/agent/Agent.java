package io.nfvlab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.runtime.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The per-node agent: registers the node (label, underlay annotation, Lease), removes orphans of owners that are
 * gone, then realizes every NetworkNodeState labelled for its node and reports in their status. /readyz fails while
 * the Lease is not renewed (the API server unreachable or refusing the credentials, or a reconcile stuck). {@link #close()} stops
 * watching, then removes the node label and releases the Lease; kernel state stays (teardown follows
 * NetworkNodeState deletion).
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final PrometheusMeterRegistry registry;
    private final NodeDataplane dataplane;
    private final NodeRegistration registration;
    private final Operator operator;
    private final MetricsServer http;
    private final AgentMetrics metrics;
    private volatile boolean started;

    private Agent(KubernetesClient client, AgentConfig config, NodeRegistration registration, ReconcileProgress progress) {
        this.config = config;
        this.registry = config.getMeterRegistry() != null ? config.getMeterRegistry() : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.dataplane = config.getDataplane().open(config.getNodeName(), config.getNodeNetns());
        this.registration = registration;
        this.metrics = new AgentMetrics(registry, config.getNodeName(), config.isLinkMetrics());
        if (config.getTrafficJobs() instanceof io.micrometer.core.instrument.binder.MeterBinder traffic) {
            traffic.bindTo(registry);   // traffic gauges and counts on this agent's /metrics
        }
        if (config.getTrafficJobs() != null) {
            config.getTrafficJobs().countNodeDropsFrom(dataplane::byteBoundDrops);
        }
        boolean ssa = !config.isEmbedded();
        this.operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(ssa)
                .withSSABasedCreateUpdateMatchForDependentResources(ssa)
                .withStopOnInformerErrorDuringStartup(true));
        NodeStateReconciler reconciler = new NodeStateReconciler(config, dataplane, metrics, progress);
        operator.register(reconciler, o -> o
                .withName("nfvlab-agent-" + config.getNodeName())
                .withLabelSelector(Nfvlab.NODE_LABEL + "=" + config.getNodeName())
                .withFinalizer(Nfvlab.AGENT_FINALIZER));
        this.http = config.getMetricsPort() == 0 ? null : MetricsServer.start(MetricsServer.Settings.onPort(config.getMetricsPort())
                        .withAddress(config.getMetricsAddress()), registry::scrape,
                () -> started && registration.apiProblem() == null);
    }

    /** Starts an agent for {@code config.nodeName} using {@code client} (which the agent does not close). */
    public static Agent start(KubernetesClient client, AgentConfig config) {
        Objects.requireNonNull(config.getNodeName(), "nodeName is required");
        ReconcileProgress progress = new ReconcileProgress(config.getStuckReconcileLimit());
        NodeRegistration registration = new NodeRegistration(client, config, progress);
        // before anything binds a port or touches the kernel: a second agent on the node must leave both alone
        try {
            registration.acquire();
        } catch (NodeHeldException e) {
            // the caller writes the one line (AgentMain: on stderr, exit 3); the event says it on the Node
            NodeEvents.warning(client, config.getSystemNamespace(), config.getNodeName(), NodeEvents.NODE_HELD, e.getMessage());
            registration.close();
            throw e;
        }
        Agent agent;
        try {
            agent = new Agent(client, config, registration, progress);
        } catch (RuntimeException e) {
            registration.close();
            throw e;
        }
        try {
            // Placement puts container hosts only on nodes that say they can run them. Asking the runtime (`podman
            // version`: 0.02 s on a quiet machine, 0.3 s seen under load) holds up nothing: its answer goes into the
            // Lease as soon as it comes, not a renewal period later.
            if (config.isContainerRuntimeProbe()) {
                CompletableFuture.supplyAsync(agent.dataplane::containerRuntimeName, command -> {
                    Thread t = new Thread(command, "nfvlab-agent-runtime-probe");
                    t.setDaemon(true);
                    t.start();
                }).thenAccept(runtime -> agent.registration.publishNow(Nfvlab.CONTAINER_RUNTIME_LABEL, runtime));
            }
            agent.registration.start();
            config.getBeforeWatching().run();
            if (config.isSweepOrphansOnStart()) {
                agent.sweep(client);
            }
            agent.operator.start();
            agent.started = true;
            LOG.info("agent for node {} started; {}", config.getNodeName(), agent.dataplane.shapingMechanisms().describe());
            return agent;
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void sweep(KubernetesClient client) {
        Set<String> live = client.resources(NetworkNodeState.class)
                .withLabel(Nfvlab.NODE_LABEL, config.getNodeName()).list().getItems().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getOwner() != null && s.getSpec().getOwner().getToken() != null)
                .map(s -> s.getSpec().getOwner().getToken())
                .collect(Collectors.toSet());
        Set<String> swept = new java.util.TreeSet<>(dataplane.sweepOrphans(live));
        if (config.getDpdkBridges() != null) {
            swept.addAll(config.getDpdkBridges().sweepOrphans(config.getNodeName(), live));
        }
        if (!swept.isEmpty()) {
            LOG.info("removed orphans of owners {} on node {}", swept, config.getNodeName());
        }
    }

    /** The registry behind /metrics; other components (traffic) add their meters here. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Meters that could not be registered ("name: reason"); empty when /metrics exports every meter. */
    public java.util.List<String> failedMeterRegistrations() {
        return metrics.failedRegistrations();
    }

    /** The port /metrics listens on, or 0 when metrics are off. */
    public int metricsPort() {
        return http == null ? 0 : http.port();
    }

    public AgentConfig config() {
        return config;
    }

    public boolean isStarted() {
        return started;
    }

    /** Why /readyz answers 503 although the agent started (its Lease cannot be renewed), or null. */
    public String apiProblem() {
        return registration.apiProblem();
    }

    @Override
    public void close() {
        started = false;
        try {
            operator.stop();
        } catch (RuntimeException e) {
            LOG.debug("stopping operator: {}", e.toString());
        }
        registration.close();
        if (http != null) {
            http.close();
        }
        dataplane.close();
    }
}
