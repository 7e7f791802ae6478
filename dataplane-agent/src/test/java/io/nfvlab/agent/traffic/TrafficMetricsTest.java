package io.nfvlab.agent.traffic;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Rfc2544Row;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficMetricsTest {

    @Test
    void aRunAppearsOnTheScrapeInValidExpositionFormatAndGoesWithTheTest() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrafficMetrics metrics = new TrafficMetrics(registry);
        metrics.recordResults("default", "pingall-1", List.of(
                PairResult.builder().source("h1").destination("h2").sent(1L).received(1L).lossPercent(0.0).rttAvgMs(0.25).build()));
        metrics.recordResults("default", "iperf-1", List.of(
                PairResult.builder().source("h1").destination("h4").bitsPerSecond(9.4e7).build()));
        metrics.countRun("default", "pingall-1", "succeeded");

        List<PrometheusText.Sample> samples = PrometheusText.parse(registry.scrape());
        Map<String, String> rtt = Map.of("namespace", "default", "test", "pingall-1", "source", "h1", "destination", "h2");
        assertThat(PrometheusText.value(samples, "nfvlab_traffic_rtt_seconds", rtt)).isEqualTo(0.00025);
        assertThat(PrometheusText.value(samples, "nfvlab_traffic_loss_ratio", rtt)).isEqualTo(0.0);
        // iperf's 94 Mbit/s, in bytes: the base unit Prometheus names use
        assertThat(PrometheusText.value(samples, "nfvlab_traffic_throughput_bytes_per_second",
                Map.of("test", "iperf-1", "source", "h1", "destination", "h4"))).isEqualTo(1.175e7);
        assertThat(PrometheusText.value(samples, "nfvlab_traffic_job_runs_total",
                Map.of("test", "pingall-1", "result", "succeeded"))).isEqualTo(1.0);

        metrics.forget("default", "pingall-1");
        assertThat(PrometheusText.parse(registry.scrape())).noneMatch(s -> "pingall-1".equals(s.labels().get("test")));
    }

    @Test
    void rfc2544RowsBecomeGaugesPerFrameSizeAndARateNotFoundDropsItsGauge() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TrafficMetrics metrics = new TrafficMetrics(registry);
        metrics.recordRfc2544("default", "rfc", List.of(
                Rfc2544Row.builder().frameSize("64").ndrMpps(1.5).ndrGbps(1.008).pdrMpps(1.6)
                        .latency(List.of(Rfc2544Row.LatencyAt.builder().ndrPercent(50).minUs(4.0).avgUs(12.0).maxUs(90.0).p99Us(40.0).build()))
                        .build(),
                Rfc2544Row.builder().frameSize("IMIX").pdrMpps(0.2).build()));
        var samples = PrometheusText.parse(registry.scrape());
        assertThat(PrometheusText.value(samples, "nfvlab_rfc2544_ndr_frames_per_second", Map.of("test", "rfc", "frame_size", "64"))).isEqualTo(1.5e6);
        assertThat(PrometheusText.value(samples, "nfvlab_rfc2544_ndr_bits_per_second", Map.of("frame_size", "64"))).isEqualTo(1.008e9);
        assertThat(PrometheusText.value(samples, "nfvlab_rfc2544_pdr_frames_per_second", Map.of("frame_size", "IMIX"))).isEqualTo(2e5);
        assertThat(PrometheusText.value(samples, "nfvlab_rfc2544_latency_seconds", Map.of("frame_size", "64", "load", "50", "stat", "p99")))
                .isEqualTo(4e-5);
        assertThat(samples).noneMatch(s -> s.name().equals("nfvlab_rfc2544_ndr_frames_per_second") && "IMIX".equals(s.labels().get("frame_size")));

        metrics.recordRfc2544("default", "rfc", List.of(Rfc2544Row.builder().frameSize("64").pdrMpps(1.6).build()));
        assertThat(PrometheusText.parse(registry.scrape()))
                .noneMatch(s -> s.name().equals("nfvlab_rfc2544_ndr_frames_per_second") && "64".equals(s.labels().get("frame_size")));
        metrics.forget("default", "rfc");
        assertThat(PrometheusText.parse(registry.scrape())).noneMatch(s -> "rfc".equals(s.labels().get("test")));
    }

    @Test
    void theJobsPublishOnTheRegistryTheAgentBindsThemTo() {
        PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry agents = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ProcessTrafficJobs jobs = new ProcessTrafficJobs(own)) {
            io.micrometer.core.instrument.composite.CompositeMeterRegistry viaJobs = compositeOf(jobs);
            jobs.bindTo(agents);
            new TrafficMetrics(viaJobs).countRun("default", "t", "succeeded");
            new TrafficMetrics(viaJobs).recordResults("default", "t", List.of(PairResult.builder().source("h1").destination("h2").lossPercent(50.0).build()));
            var samples = PrometheusText.parse(agents.scrape());
            assertThat(PrometheusText.value(samples, "nfvlab_traffic_job_runs_total", Map.of("test", "t"))).isEqualTo(1.0);
            assertThat(PrometheusText.value(samples, "nfvlab_traffic_loss_ratio", Map.of("test", "t"))).isEqualTo(0.5);
            new TrafficMetrics(viaJobs).forget("default", "t");
            assertThat(PrometheusText.parse(agents.scrape())).noneMatch(s -> "t".equals(s.labels().get("test")));
        }
    }

    private static io.micrometer.core.instrument.composite.CompositeMeterRegistry compositeOf(ProcessTrafficJobs jobs) {
        try {
            var f = ProcessTrafficJobs.class.getDeclaredField("registries");
            f.setAccessible(true);
            return (io.micrometer.core.instrument.composite.CompositeMeterRegistry) f.get(jobs);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
