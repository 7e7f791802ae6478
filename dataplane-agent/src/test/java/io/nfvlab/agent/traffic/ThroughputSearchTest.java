package io.nfvlab.agent.traffic;

import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.Trial;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputSearchTest {

    /** A link that carries up to {@code capacity} without loss and drops the excess above it. */
    private static Trial link(double capacity, double offered, double threshold) {
        double received = Math.min(offered, capacity);
        double loss = 100.0 * (offered - received) / offered;
        return ThroughputSearch.judge(offered, offered, received, loss, threshold);
    }

    @Test
    void findsTheNoDropRateOfA200MbitLinkWithinThePrecision() {
        var settings = ThroughputSearch.Settings.of(SearchSpec.builder().maxRate(1000.0).precision(5.0).build());
        var outcome = ThroughputSearch.run(settings, rate -> link(200, rate, settings.lossThresholdPercent()));
        assertThat(outcome.foundRate()).isBetween(195.0, 200.0);
        assertThat(outcome.trials().get(0).getRate()).isEqualTo(1000.0);
        assertThat(outcome.trials()).hasSizeLessThanOrEqualTo(12);
        assertThat(settings.lossThresholdPercent()).isEqualTo(0.001);
    }

    @Test
    void aPartialDropRateThresholdAllowsMore() {
        var settings = ThroughputSearch.Settings.of(SearchSpec.builder().maxRate(1000.0).precision(2.0).lossThresholdPercent(10.0).build());
        var outcome = ThroughputSearch.run(settings, rate -> link(200, rate, 10.0));
        // 10 % loss at offered r means r * 0.9 = 200, so r ≈ 222
        assertThat(outcome.foundRate()).isBetween(218.0, 222.3);
    }

    @Test
    void stopsAtMaxTrials() {
        var settings = ThroughputSearch.Settings.of(SearchSpec.builder().maxRate(1000.0).precision(0.001).maxTrials(4).build());
        var outcome = ThroughputSearch.run(settings, rate -> link(200, rate, 0.001));
        assertThat(outcome.trials()).hasSize(4);
        assertThat(outcome.trials()).extracting(Trial::getRate).containsExactly(1000.0, 500.5, 250.75, 125.875);
        assertThat(outcome.foundRate()).isEqualTo(125.875);
    }

    @Test
    void aLinkFasterThanTheMaximumPassesAtOnce() {
        var settings = ThroughputSearch.Settings.of(SearchSpec.builder().maxRate(100.0).build());
        var outcome = ThroughputSearch.run(settings, rate -> link(200, rate, 0.001));
        assertThat(outcome.trials()).hasSize(1);
        assertThat(outcome.foundRate()).isEqualTo(100.0);
    }

    @Test
    void aGeneratorThatCannotOfferTheRateFailsTheTrialEvenWithoutLoss() {
        Trial t = ThroughputSearch.judge(200, 150, 150, 0.0, 0.001);
        assertThat(t.getPassed()).isFalse();
    }
}
