package io.nfvlab.operator;

import io.nfvlab.operator.controller.Events;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.operator.controller.OperatorMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
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
    private final java.util.concurrent.atomic.AtomicBoolean leader = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closing;

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
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEADER_LEASE, config.getSystemNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, leaderIdentity(),
                        new LeaderCallbacks(() -> leader.set(true), this::lostLeadership,
                                holder -> LOG.info("leader Lease {} held by {}", LEADER_LEASE, holder)),
                        false));
            }
            if (config.isEmbedded()) {
                // the mock API server answers server-side apply with 415: patch the classic way there only
                o.withUseSSAToPatchPrimaryResource(false)
                        .withSSABasedCreateUpdateMatchForDependentResources(false);
            }
        });
    }

    /**
     * Who holds the Lease: the pod's name in a cluster (HOSTNAME), plus a random suffix so that two processes on one
     * machine (or a restarted pod reusing its name before the old Lease expired) never both believe they lead.
     */
    private static String leaderIdentity() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                host = "nfvlab-operator";
            }
        }
        return host + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers every controller, starts the SDK (informers synced when this returns) and the metrics endpoint. */
    public static NfvlabOperator start(KubernetesClient client, OperatorConfig config) {
        return registered(client, config).startControllers();
    }

    /**
     * The operator with every controller registered and nothing started: no request reaches the API server until
     * {@link #startControllers()}, so this can run while the CRDs are still being installed (the SDK's set-up of its
     * controllers, event sources and metrics is most of an operator's start that needs no server).
     */
    public static NfvlabOperator registered(KubernetesClient client, OperatorConfig config) {
        NfvlabOperator nfvlab = new NfvlabOperator(client, config);
        nfvlab.registerControllers();
        return nfvlab;
    }

    /**
     * Starts the SDK (informers listed and watching when this returns) and the metrics endpoint. The CRDs must exist
     * by then: an informer opened before its CRD misses events.
     */
    public NfvlabOperator startControllers() {
        operator.start();
        if (config.getMetricsPort() != 0) {
            metricsServer = MetricsServer.start(MetricsServer.Settings.onPort(config.getMetricsPort())
                    .withAddress(config.getMetricsAddress()), metrics::scrape, this::isReady);
            LOG.info("metrics on {}", metricsServer.address());
        }
        LOG.info("nfvlab operator started ({} controllers, embedded={})", operator.getRegisteredControllersNumber(),
                config.isEmbedded());
        return this;
    }

    /**
     * Every controller of the operator, in one place. Add yours with one line:
     * {@code register(new MyReconciler(config, metrics, events));}
     */
    private void registerControllers() {
        register(new VirtualTopologyReconciler(config, metrics, events));
        register(new io.nfvlab.operator.traffic.TrafficTestReconciler(config, metrics, events));
        if (config.isDpdkBridges()) {
            register(new io.nfvlab.operator.bridge.DpdkBridgeReconciler(config, metrics, events));
        }
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

    /** True while this replica holds the leader Lease (always true without leader election). */
    public boolean isLeader() {
        return !config.isLeaderElection() || leader.get();
    }

    /**
     * A replica that loses the Lease while running may still have reconciles in flight beside the new leader's:
     * it exits (the Deployment restarts it as a standby). Losing it because this replica is closing is expected.
     */
    private void lostLeadership() {
        leader.set(false);
        if (!closing) {
            LOG.error("lost the leader Lease {}: exiting so that only the new leader reconciles", LEADER_LEASE);
            new Thread(() -> System.exit(1), "nfvlab-operator-lost-lease").start();
        }
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
        closing = true;
        try {
            operator.stop();
        } finally {
            if (metricsServer != null) {
                metricsServer.close();
            }
        }
    }
}
