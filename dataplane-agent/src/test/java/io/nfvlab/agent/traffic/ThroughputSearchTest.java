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
        // 1000 fails (the maximum is not repeated), 500.5 fails twice, 250.75 once before the trials run out
        assertThat(outcome.trials()).extracting(Trial::getRate).containsExactly(1000.0, 500.5, 500.5, 250.75);
        assertThat(outcome.foundRate()).isNull();
    }

    @Test
    void aLinkFasterThanTheMaximumPassesAtOnce() {
        var settings = ThroughputSearch.Settings.of(SearchSpec.builder().maxRate(100.0).build());
        var outcome = ThroughputSearch.run(settings, rate -> link(200, rate, 0.001));
        assertThat(outcome.trials()).hasSize(1);
        assertThat(outcome.foundRate()).isEqualTo(100.0);
    }

    @Test
    void arrivalsStretchedByAQueueBehindTheLinkFailTheTrialEvenWithoutLoss() {
        // 198.9 offered and sent, every packet arrived, but over a longer time: the link carries about 194.6
        assertThat(ThroughputSearch.judge(198.9, 198.9, 194.6, 0.0, 0.001).getPassed()).isFalse();
        assertThat(ThroughputSearch.judge(192.8, 192.8, 192.6, 0.0, 0.001).getPassed()).isTrue();
    }

    @Test
    void aGeneratorThatCannotOfferTheRateFailsTheTrialEvenWithoutLoss() {
        Trial t = ThroughputSearch.judge(200, 150, 150, 0.0, 0.001);
        assertThat(t.getPassed()).isFalse();
    }

    @Test
    void aFailureThatDoesNotRepeatDoesNotLowerTheRate() {
        var settings = ThroughputSearch.Settings.of(SearchSpec.builder().minRate(10.0).maxRate(400.0).precision(8.0).maxTrials(16).build());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        var outcome = ThroughputSearch.run(settings, rate -> {
            // the fourth trial (the first at 107.5, which the link carries) is hit by a burst of other work on the node
            if (calls.incrementAndGet() == 4) {
                return ThroughputSearch.judge(rate, rate, rate * 0.9, 10.0, 0.001);
            }
            return link(200, rate, 0.001);
        });
        assertThat(outcome.trials()).extracting(Trial::getRate).startsWith(400.0, 205.0, 205.0, 107.5, 107.5);
        assertThat(outcome.trials()).extracting(Trial::getPassed).startsWith(false, false, false, false, true);
        assertThat(outcome.foundRate()).isBetween(192.0, 200.0);
    }
}
