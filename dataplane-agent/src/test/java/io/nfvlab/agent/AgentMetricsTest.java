package io.nfvlab.agent;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.kernel.Observed;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.shaping.DelayLineQueue.QueueDrops;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AgentMetricsTest {
    @Test
    void delayLineQueueDropsArePublishedByBoundApartFromTheKernelsDrops() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentMetrics metrics = new AgentMetrics(registry, "node-q");
        NetworkNodeState state = OneNodePlans.state("qd", "node-q", VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("minimal").build()).build());
        Observed.Counters kernel = new Observed.Counters(1000, 10, 0, 1000, 10, 0);
        metrics.record(state, report(List.of(new SyncReport.LinkCounters("h1~s1", "dev1", kernel, new QueueDrops(2, 7)),
                new SyncReport.LinkCounters("h2~s1", "dev2", kernel, null))), false);
        metrics.record(state, report(List.of(new SyncReport.LinkCounters("h1~s1", "dev1", kernel, new QueueDrops(3, 9)),
                new SyncReport.LinkCounters("h2~s1", "dev2", kernel, null))), false);

        String text = registry.scrape();
        assertThat(text).contains("nfvlab_link_queue_drops_total{bound=\"bytes\",link=\"h1~s1\",node=\"node-q\",topology=\"qd\"} 9.0")
                .contains("nfvlab_link_queue_drops_total{bound=\"frames\",link=\"h1~s1\",node=\"node-q\",topology=\"qd\"} 3.0")
                .doesNotContain("nfvlab_link_queue_drops_total{bound=\"bytes\",link=\"h2~s1\"");
        metrics.forget(state);
        assertThat(registry.scrape()).doesNotContain("nfvlab_link_queue_drops_total");
    }

    private static SyncReport report(List<SyncReport.LinkCounters> counters) {
        return new SyncReport(0, List.of(), Map.of(), Map.of(), List.of(), 0, 0, 0, 0, Duration.ZERO, counters, false);
    }
}
