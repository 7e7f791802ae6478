package io.nfvlab.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.kernel.Observed;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops;
import io.nfvlab.api.node.NetworkNodeState;

import io.micrometer.core.instrument.Gauge;
import io.nfvlab.runtime.BuildInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The agent's Prometheus metrics: build info, apply duration (a histogram), actions by type and result, drift repairs,
 * and — unless switched off for large topologies ({@code --link-metrics=false}) — per-link kernel counters labelled
 * by topology (owner) and link: six series per link, which a topology of thousands of links multiplies.
 */
final class AgentMetrics {
    /** Histogram buckets of one apply: from a resync that changes nothing to building a few hundred hosts. */
    private static final Duration[] APPLY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final PrometheusMeterRegistry registry;
    private final String node;
    private final boolean linkMetrics;
    private final List<String> failedRegistrations = new CopyOnWriteArrayList<>();
    private final Timer apply;
    private final Counter driftRepairs;
    /** Per state name: the link counter holders and the meters registered for them. */
    private final Map<String, Map<String, AtomicReference<Observed.Counters>>> links = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicReference<QueueDrops>>> delayLines = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    AgentMetrics(PrometheusMeterRegistry registry, String node) {
        this(registry, node, true);
    }

    AgentMetrics(PrometheusMeterRegistry registry, String node, boolean linkMetrics) {
        this.registry = registry;
        this.node = node;
        this.linkMetrics = linkMetrics;
        registry.config().onMeterRegistrationFailed((id, reason) -> failedRegistrations.add(id.getName() + ": " + reason));
        Gauge.builder("nfvlab.build.info", () -> 1)
                .description("Always 1; the labels say which nfvlab build this agent runs")
                .tags("version", BuildInfo.current().version(), "revision", BuildInfo.current().revision())
                .register(registry);
        this.apply = Timer.builder("nfvlab.agent.apply").description("Time to observe, plan and apply one NetworkNodeState")
                .tag("node", node).serviceLevelObjectives(APPLY_BUCKETS).register(registry);
        this.driftRepairs = Counter.builder("nfvlab.agent.drift.repairs").description("Syncs that changed the kernel without a spec change")
                .tag("node", node).register(registry);
    }

    void record(NetworkNodeState state, SyncReport report, boolean driftRepair) {
        apply.record(report.duration());
        report.actionsByType().forEach((type, n) -> {
            int failed = report.failuresByType().getOrDefault(type, 0);
            actions(type, "ok").increment(n - failed);
            if (failed > 0) {
                actions(type, "failed").increment(failed);
            }
        });
        if (driftRepair) {
            driftRepairs.increment();
        }
        if (!linkMetrics) {
            return;
        }
        String key = state.getMetadata().getName();
        Map<String, AtomicReference<Observed.Counters>> holders = links.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        String topology = state.getSpec() != null && state.getSpec().getOwner() != null ? state.getSpec().getOwner().getName() : key;
        for (SyncReport.LinkCounters c : report.counters()) {
            holders.computeIfAbsent(c.link(), link -> {
                AtomicReference<Observed.Counters> ref = new AtomicReference<>(Observed.Counters.ZERO);
                Tags tags = Tags.of("node", node, "topology", topology, "link", link);
                List<Meter> list = meters.computeIfAbsent(key, k -> new ArrayList<>());
                list.add(counter("nfvlab.link.rx.bytes", ref, x -> x.get().rxBytes(), tags, "bytes"));
                list.add(counter("nfvlab.link.tx.bytes", ref, x -> x.get().txBytes(), tags, "bytes"));
                list.add(counter("nfvlab.link.rx.packets", ref, x -> x.get().rxPackets(), tags, null));
                list.add(counter("nfvlab.link.tx.packets", ref, x -> x.get().txPackets(), tags, null));
                list.add(counter("nfvlab.link.rx.drops", ref, x -> x.get().rxDropped(), tags, null));
                list.add(counter("nfvlab.link.tx.drops", ref, x -> x.get().txDropped(), tags, null));
                return ref;
            }).set(c.counters());
            if (c.queueDrops() != null) {
                delayLines.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).computeIfAbsent(c.link(), link -> {
                    AtomicReference<QueueDrops> ref = new AtomicReference<>(QueueDrops.NONE);
                    List<Meter> list = meters.computeIfAbsent(key, k -> new ArrayList<>());
                    for (String bound : List.of("frames", "bytes")) {
                        list.add(FunctionCounter.builder("nfvlab.link.queue.drops", ref,
                                        x -> bound.equals("frames") ? x.get().frames() : x.get().bytes())
                                .tags(Tags.of("node", node, "topology", topology, "link", link, "bound", bound))
                                .description("Frames the link's delay line dropped because its queue was full: bound=frames at the "
                                        + "link's maxQueueSize (the emulated queue), bound=bytes at the agent's memory bound (this "
                                        + "node's, not the emulated link's); neither is the link's emulated loss")
                                .register(registry));
                    }
                    return ref;
                }).set(c.queueDrops());
            }
        }
    }

    private Counter actions(String type, String result) {
        return Counter.builder("nfvlab.agent.actions").description("Kernel and OVS actions applied")
                .tags("node", node, "type", type, "result", result).register(registry);
    }

    private Meter counter(String name, AtomicReference<Observed.Counters> ref,
                          ToDoubleFunction<AtomicReference<Observed.Counters>> f, Tags tags, String unit) {
        FunctionCounter.Builder<AtomicReference<Observed.Counters>> b = FunctionCounter.builder(name, ref, f).tags(tags)
                .description("Kernel counter of a link, read on its switch-side end");
        if (unit != null) {
            b.baseUnit(unit);
        }
        return b.register(registry);
    }

    /** Meters Prometheus refused since start ("name: reason"): each one a metric silently missing. */
    List<String> failedRegistrations() {
        return List.copyOf(failedRegistrations);
    }

    void forget(NetworkNodeState state) {
        String key = state.getMetadata().getName();
        links.remove(key);
        delayLines.remove(key);
        List<Meter> list = meters.remove(key);
        if (list != null) {
            list.forEach(registry::remove);
        }
    }
}
