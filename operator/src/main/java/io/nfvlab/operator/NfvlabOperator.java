package io.nfvlab.operator;

import io.nfvlab.operator.controller.Events;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.operator.controller.OperatorMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.nfvlab.runtime.MetricsServer;
import io.nfvlab.operator.topology.VirtualTopologyReconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The nfvlab operator: the Java Operator SDK with every nfvlab controller registered, the Micrometer metrics, and
 * the /metrics, /healthz and /readyz endpoints. Start one with {@link #start}; close it to stop.
 */
public final class NfvlabOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NfvlabOperator.class);
    /** The Lease replicas compete for when leader election is on. */
    public static final String LEADER_LEASE = "nfvlab-operator";

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final OperatorMetrics metrics;
    private final Events events;
    private final Operator operator;
    private MetricsServer metricsServer;

    private NfvlabOperator(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
        this.metrics = new OperatorMetrics();
        this.events = new Events(client, "nfvlab-operator");
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()))
                    .withConcurrentReconciliationThreads(config.getReconcileThreads())
                    .withCloseClientOnStop(false)
                    .withStopOnInformerErrorDuringStartup(true)
                    .withCacheSyncTimeout(Duration.ofSeconds(60))
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(5));
            if (config.isLeaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEADER_LEASE, config.getSystemNamespace()));
            }
            if (config.isEmbedded()) {
                // the mock API server answers server-side apply with 415: patch the classic way there only
                o.withUseSSAToPatchPrimaryResource(false)
                        .withSSABasedCreateUpdateMatchForDependentResources(false);
            }
        });
    }

    /** Registers every controller, starts the SDK (informers synced when this returns) and the metrics endpoint. */
    public static NfvlabOperator start(KubernetesClient client, OperatorConfig config) {
        NfvlabOperator nfvlab = new NfvlabOperator(client, config);
        nfvlab.registerControllers();
        nfvlab.operator.start();
        if (config.getMetricsPort() != 0) {
            nfvlab.metricsServer = MetricsServer.start(config.getMetricsPort(), nfvlab.metrics::scrape, nfvlab::isReady);
            LOG.info("metrics on port {}", nfvlab.metricsServer.port());
        }
        LOG.info("nfvlab operator started ({} controllers, embedded={})", nfvlab.operator.getRegisteredControllersNumber(),
                config.isEmbedded());
        return nfvlab;
    }

    /**
     * Every controller of the operator, in one place. Add yours with one line:
     * {@code register(new MyReconciler(config, metrics, events));}
     */
    private void registerControllers() {
        register(new VirtualTopologyReconciler(config, metrics, events));
        register(new io.nfvlab.operator.traffic.TrafficTestReconciler(config, metrics, events));
        register(new io.nfvlab.operator.bridge.DpdkBridgeReconciler(config, metrics, events));
    }

    private <P extends HasMetadata> void register(Reconciler<P> reconciler) {
        register(reconciler, o -> {
        });
    }

    private <P extends HasMetadata> void register(Reconciler<P> reconciler,
                                                  java.util.function.Consumer<ControllerConfigurationOverrider<P>> overrides) {
        operator.register(reconciler, o -> {
            o.withFieldManager(config.getFieldManager());
            overrides.accept(o);
        });
    }

    /** True once every informer of every controller is watching. */
    public boolean isReady() {
        return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /** The port /metrics listens on, or -1 when metrics are off. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    public OperatorMetrics metrics() {
        return metrics;
    }

    public OperatorConfig config() {
        return config;
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            operator.stop();
        } finally {
            if (metricsServer != null) {
                metricsServer.close();
            }
        }
    }
}
