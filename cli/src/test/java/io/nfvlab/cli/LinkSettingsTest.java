package io.nfvlab.cli;

import io.nfvlab.api.topology.DelayDistribution;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkSettingsTest {
    private static LinkSpec applied(String... words) {
        return LinkSettings.parse(List.of(words)).applyTo(LinkSpec.builder().a("s1").b("s2").build());
    }

    @Test
    void mininetKeysSetTheSpecFields() {
        LinkSpec l = applied("delay=10ms", "loss=1", "bw=50", "jitter=2ms", "max_queue_size=100");
        assertThat(l.getDelay()).isEqualTo("10ms");
        assertThat(l.getLossPercent()).isEqualTo(1.0);
        assertThat(l.getBandwidthMbps()).isEqualTo(50.0);
        assertThat(l.getJitter()).isEqualTo("2ms");
        assertThat(l.getMaxQueueSize()).isEqualTo(100);
        assertThat(l.getState()).isNull();
    }

    @Test
    void netemKeysAndSpecNamesSetTheImpairments() {
        LinkSpec l = applied("corrupt=0.5", "duplicate=2", "reorder=25", "gap=5", "loss_correlation=30",
                "distribution=pareto", "lossPercent=3", "DELAY=5ms");
        assertThat(l.getCorruptPercent()).isEqualTo(0.5);
        assertThat(l.getDuplicatePercent()).isEqualTo(2.0);
        assertThat(l.getReorderPercent()).isEqualTo(25.0);
        assertThat(l.getReorderGap()).isEqualTo(5);
        assertThat(l.getLossCorrelationPercent()).isEqualTo(30.0);
        assertThat(l.getDelayDistribution()).isEqualTo(DelayDistribution.PARETO);
        assertThat(l.getLossPercent()).isEqualTo(3.0);
        assertThat(l.getDelay()).isEqualTo("5ms");
    }

    @Test
    void upOrDownMayComeWithSettingsAndNoneClearsAValue() {
        LinkSpec start = LinkSpec.builder().a("s1").b("s2").delay("5ms").lossPercent(2.0).build();
        LinkSpec l = LinkSettings.parse(List.of("down", "delay=none")).applyTo(start);
        assertThat(l.getState()).isEqualTo(LinkState.DOWN);
        assertThat(l.getDelay()).isNull();
        assertThat(l.getLossPercent()).isEqualTo(2.0);
    }

    @Test
    void badKeysAndValuesAreNamed() {
        assertThatThrownBy(() -> LinkSettings.parse(List.of("latency=10ms"))).hasMessageContaining("unknown link parameter \"latency\"")
                .hasMessageContaining("delay");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("delay=soon"))).hasMessageContaining("delay=soon: ")
                .hasMessageContaining("not a duration");
        assertThat(applied("delay=10", "jitter=0.5").getDelay()).as("Mininet's bare milliseconds").isEqualTo("10ms");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("delay=11s"))).hasMessageContaining("at most 10s");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("loss=101"))).hasMessageContaining("loss=101: must be between 0 and 100");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("loss=abc"))).hasMessageContaining("\"abc\" is not a number");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("bw=0"))).hasMessageContaining("bw=0: must be greater than 0");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("gap=0"))).hasMessageContaining("gap=0: must be between 1");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("gap=2.5"))).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("distribution=gamma"))).hasMessageContaining("uniform, normal, pareto");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("delay"))).hasMessageContaining("neither up, down nor KEY=VALUE");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("=5"))).hasMessageContaining("neither up, down nor KEY=VALUE");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("up", "down"))).hasMessageContaining("once");
        assertThatThrownBy(() -> LinkSettings.parse(List.of("loss=1", "lossPercent=2"))).hasMessageContaining("lossPercent is given twice");
        assertThatThrownBy(() -> LinkSettings.parse(List.of())).hasMessageContaining("delay=10ms");
    }

    @Test
    void settingsMergeIntoThePairsOverrideOrAddOne() {
        LinkSpec other = LinkSpec.builder().a("h2").b("s2").delay("5ms").build();
        LinkSpec pair = LinkSpec.builder().a("s2").b("s1").bandwidthMbps(10.0).build();
        List<LinkSpec> merged = LinkOverrides.withSettings(List.of(other, pair), "s1", "s2",
                LinkSettings.parse(List.of("delay=10ms", "loss=1")));
        assertThat(merged).hasSize(2);
        assertThat(merged.get(0)).isEqualTo(other);
        assertThat(merged.get(1).getBandwidthMbps()).isEqualTo(10.0);
        assertThat(merged.get(1).getDelay()).isEqualTo("10ms");
        assertThat(merged.get(1).getLossPercent()).isEqualTo(1.0);
        // the input is not changed under the caller
        assertThat(pair.getDelay()).isNull();

        List<LinkSpec> added = LinkOverrides.withSettings(List.of(other), "s1", "s2", LinkSettings.parse(List.of("delay=10ms")));
        assertThat(added).hasSize(2);
        assertThat(added.get(1).joins("s1", "s2")).isTrue();
        assertThat(added.get(1).getDelay()).isEqualTo("10ms");
    }

    @Test
    void upOrDownAloneBehavesAsBefore() {
        assertThat(LinkOverrides.withSettings(List.of(), "s1", "s2", LinkSettings.parse(List.of("down"))))
                .singleElement().satisfies(o -> assertThat(o.getState()).isEqualTo(LinkState.DOWN));
    }
}
