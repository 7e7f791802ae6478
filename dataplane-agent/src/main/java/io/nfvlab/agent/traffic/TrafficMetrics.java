package io.nfvlab.agent.traffic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Rfc2544Row;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's traffic gauges, labelled by the test (namespace, name) and the pair — bounded by the user's objects —
 * and removed when the test goes away. Prometheus names: {@code nfvlab_traffic_throughput_bytes_per_second} (base
 * units: bytes, as Prometheus wants; multiply by 8 for the bits/s iperf prints), {@code nfvlab_traffic_loss_ratio},
 * {@code nfvlab_traffic_rtt_seconds} and {@code nfvlab_traffic_job_runs_total{result}} — whether the traffic ran on
 * this node, which is not the test's verdict (that is the operator's {@code nfvlab_traffic_verdicts_total}).
 * rfc2544 adds, per frame size (label {@code frame_size}; IMIX or bytes, at most 16 per test):
 * {@code nfvlab_rfc2544_ndr_frames_per_second}, {@code nfvlab_rfc2544_pdr_frames_per_second},
 * {@code nfvlab_rfc2544_ndr_bits_per_second} (on the wire, with preamble and gap), and
 * {@code nfvlab_rfc2544_latency_seconds{load="10|50|90", stat="min|avg|max|p99"}} (percent of the NDR).
 */
public final class TrafficMetrics {
    public static final String THROUGHPUT = "nfvlab.traffic.throughput.bytes.per.second";
    public static final String LOSS = "nfvlab.traffic.loss.ratio";
    public static final String RTT = "nfvlab.traffic.rtt.seconds";
    public static final String RUNS = "nfvlab.traffic.job.runs";
    public static final String NDR_FPS = "nfvlab.rfc2544.ndr.frames.per.second";
    public static final String PDR_FPS = "nfvlab.rfc2544.pdr.frames.per.second";
    public static final String NDR_BPS = "nfvlab.rfc2544.ndr.bits.per.second";
    public static final String LATENCY = "nfvlab.rfc2544.latency.seconds";

    private final MeterRegistry registry;
    private final Map<Meter.Id, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    public TrafficMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Publishes the latest figures of each pair of one run. */
    public void recordResults(String namespace, String test, List<PairResult> results) {
        for (PairResult r : results) {
            Tags tags = Tags.of("namespace", nz(namespace), "test", nz(test), "source", nz(r.getSource()), "destination", nz(r.getDestination()));
            if (r.getBitsPerSecond() != null) {
                set(THROUGHPUT, "Throughput the receiver measured, bytes per second", tags, r.getBitsPerSecond() / 8.0);
            }
            if (r.getLossPercent() != null) {
                set(LOSS, "Share of packets lost, 0 to 1", tags, r.getLossPercent() / 100.0);
            }
            if (r.getRttAvgMs() != null) {
                set(RTT, "Average round-trip time, seconds", tags, r.getRttAvgMs() / 1000.0);
            }
        }
    }

    /**
     * Publishes an rfc2544 run's rows. A frame size without an NDR (or PDR) drops that gauge rather than keep the last
     * run's figure, which would claim a rate this run did not find.
     */
    public void recordRfc2544(String namespace, String test, List<Rfc2544Row> rows) {
        for (Rfc2544Row r : rows) {
            Tags tags = Tags.of("namespace", nz(namespace), "test", nz(test), "frame_size", nz(r.getFrameSize()));
            setOrDrop(NDR_FPS, "Highest frame rate with at most the NDR loss ratio (verified), frames per second", tags,
                    r.getNdrMpps() == null ? null : r.getNdrMpps() * 1e6);
            setOrDrop(PDR_FPS, "Highest frame rate with at most the PDR loss ratio (verified), frames per second", tags,
                    r.getPdrMpps() == null ? null : r.getPdrMpps() * 1e6);
            setOrDrop(NDR_BPS, "The NDR in bits per second on the wire (frame, preamble, inter-frame gap)", tags,
                    r.getNdrGbps() == null ? null : r.getNdrGbps() * 1e9);
            for (Rfc2544Row.LatencyAt l : r.getLatency() == null ? List.<Rfc2544Row.LatencyAt>of() : r.getLatency()) {
                Tags at = tags.and("load", String.valueOf(l.getNdrPercent()));
                String help = "Latency of the frames of a trial at a percent of the NDR (load), seconds";
                setOrDrop(LATENCY, help, at.and("stat", "min"), l.getMinUs() == null ? null : l.getMinUs() / 1e6);
                setOrDrop(LATENCY, help, at.and("stat", "avg"), l.getAvgUs() == null ? null : l.getAvgUs() / 1e6);
                setOrDrop(LATENCY, help, at.and("stat", "max"), l.getMaxUs() == null ? null : l.getMaxUs() / 1e6);
                setOrDrop(LATENCY, help, at.and("stat", "p99"), l.getP99Us() == null ? null : l.getP99Us() / 1e6);
            }
        }
    }

    private void setOrDrop(String name, String help, Tags tags, Double value) {
        if (value != null) {
            set(name, help, tags, value);
            return;
        }
        Meter.Id id = new Meter.Id(name, tags, null, help, Meter.Type.GAUGE);
        if (values.remove(id) != null) {
            registry.remove(id);
        }
    }

    /** Counts a finished run: result is succeeded (the traffic ran) or failed (it could not). */
    public void countRun(String namespace, String test, String result) {
        Counter.builder(RUNS).description("Traffic jobs finished on this node: succeeded (the traffic ran) or failed (it could not); not the test's verdict")
                .tags("namespace", nz(namespace), "test", nz(test), "result", result)
                .register(registry).increment();
    }

    /** Removes every meter of the test. */
    public void forget(String namespace, String test) {
        for (Meter m : List.copyOf(registry.getMeters())) {
            Meter.Id id = m.getId();
            if ((id.getName().startsWith("nfvlab.traffic.") || id.getName().startsWith("nfvlab.rfc2544.")) && nz(namespace).equals(id.getTag("namespace")) && nz(test).equals(id.getTag("test"))) {
                registry.remove(m);
                values.remove(id);
            }
        }
    }

    private void set(String name, String help, Tags tags, double value) {
        Meter.Id id = new Meter.Id(name, tags, null, help, Meter.Type.GAUGE);
        values.computeIfAbsent(id, k -> {
            AtomicReference<Double> holder = new AtomicReference<>(value);
            Gauge.builder(name, holder, AtomicReference::get).description(help).tags(tags).register(registry);
            return holder;
        }).set(value);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
