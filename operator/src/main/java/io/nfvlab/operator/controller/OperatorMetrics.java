package io.nfvlab.operator.controller;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The operator's own metrics next to the SDK's. Labels stay bounded: controller and condition state only, never a
 * resource name (a cluster may hold thousands of topologies).
 */
public final class OperatorMetrics {
    /** States a topology is counted under in {@code nfvlab_topologies}. */
    public static final List<String> TOPOLOGY_STATES = List.of("ready", "progressing", "degraded", "invalid", "unschedulable");

    private final PrometheusMeterRegistry registry;
    private final Map<String, String> topologyState = new ConcurrentHashMap<>();

    public OperatorMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public OperatorMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        for (String state : TOPOLOGY_STATES) {
            Gauge.builder("nfvlab_topologies", () -> topologyState.values().stream().filter(state::equals).count())
                    .description("VirtualTopologies by state (Ready condition and its reason)")
                    .tag("state", state)
                    .register(registry);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Times one reconcile of {@code controller}; outcome is "ok" or "error". */
    public <T> T timeReconcile(String controller, Supplier<T> body) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = body.get();
            outcome = "ok";
            return result;
        } finally {
            Timer.builder("nfvlab_reconcile_duration_seconds")
                    .description("Time of one reconcile, pipeline and API writes included")
                    .tags("controller", controller, "outcome", outcome)
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Times the pure planning part (expand, place, plan) of {@code controller}. */
    public <T> T timePlan(String controller, Supplier<T> body) {
        return Timer.builder("nfvlab_plan_duration_seconds")
                .description("Time to expand, place and plan one resource (no API calls)")
                .tag("controller", controller)
                .register(registry)
                .record(body);
    }

    /** Records the state of a topology (by its namespace/name key, which never becomes a label). */
    public void topologyState(String key, String state) {
        topologyState.put(key, state);
    }

    public void topologyGone(String key) {
        topologyState.remove(key);
    }
}
