package io.nfvlab.operator.controller;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.nfvlab.runtime.BuildInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operator's own metrics next to the SDK's. Labels stay bounded: controller and condition state only, never a
 * resource name (a cluster may hold thousands of topologies).
 */
public final class OperatorMetrics {
    /** States a topology is counted under in {@code nfvlab_topologies}. */
    public static final List<String> TOPOLOGY_STATES = List.of("ready", "progressing", "degraded", "invalid", "unschedulable");

    /** Outcomes counted under {@code nfvlab_traffic_verdicts_total{result}}: the operator's verdict on a run. */
    public static final List<String> VERDICTS = List.of("succeeded", "failed");
    /**
     * Histogram buckets of reconcile and plan latency: from a small topology's plan (milliseconds) to a large one's
     * reconcile with its API writes (tens of seconds). Fixed buckets keep the series count known.
     */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry;
    private final Map<String, String> topologyState = new ConcurrentHashMap<>();
    /** Meters Prometheus refused (same name, other label names): each one is a metric silently missing. */
    private final List<String> failedRegistrations = new CopyOnWriteArrayList<>();

    public OperatorMetrics() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public OperatorMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        registry.config().onMeterRegistrationFailed((id, reason) -> failedRegistrations.add(id.getName() + ": " + reason))
                .meterFilter(new SdkMeterDescriptions());
        Gauge.builder("nfvlab.build.info", () -> 1)
                .description("Always 1; the labels say which nfvlab build this operator runs")
                .tags("version", BuildInfo.current().version(), "revision", BuildInfo.current().revision())
                .register(registry);
        for (String result : VERDICTS) {
            verdict(result);
        }
        for (String state : TOPOLOGY_STATES) {
            Gauge.builder("nfvlab_topologies", () -> topologyState.values().stream().filter(state::equals).count())
                    .description("VirtualTopologies by state (Ready condition and its reason)")
                    .tag("state", state)
                    .register(registry);
        }
    }

    /**
     * The registry the SDK's binding and every controller register with. Prometheus refuses a second meter of one name
     * with other label names; Micrometer only logs that once, so a refused meter is also recorded in
     * {@link #failedRegistrations()}, where tests look.
     */
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
            Timer.builder("nfvlab.reconcile.duration")
                    .description("Time of one reconcile, pipeline and API writes included")
                    .tags("controller", controller, "outcome", outcome)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Times the pure planning part (expand, place, plan) of {@code controller}. */
    public <T> T timePlan(String controller, Supplier<T> body) {
        return Timer.builder("nfvlab.plan.duration")
                .description("Time to expand, place and plan one resource (no API calls)")
                .tag("controller", controller)
                .serviceLevelObjectives(LATENCY_BUCKETS)
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

    /** The counter of the operator's verdicts on finished TrafficTest runs; result is one of {@link #VERDICTS}. */
    public Counter verdict(String result) {
        return Counter.builder("nfvlab.traffic.verdicts")
                .description("TrafficTest runs the operator judged, by verdict (succeeded: the pass criteria held)")
                .tag("result", result).register(registry);
    }

    /** Meters that could not be registered since start, "name: reason"; empty when every metric is exported. */
    public List<String> failedRegistrations() {
        return List.copyOf(failedRegistrations);
    }
}
