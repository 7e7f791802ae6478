package io.nfvlab.agent.traffic;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.traffic.PairResult;
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
