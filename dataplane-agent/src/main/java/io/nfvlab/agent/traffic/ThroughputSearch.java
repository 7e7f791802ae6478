package io.nfvlab.agent.traffic;

import io.nfvlab.api.traffic.SearchSpec;
import io.nfvlab.api.traffic.Trial;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * RFC 2544 §26.1-style binary search for the highest offered rate whose loss stays within a threshold: try the
 * maximum rate first, then halve the interval between the highest passing and lowest failing rate until it is
 * narrower than the precision or the trials run out. A rate below the maximum that fails is tried once more before
 * the search moves below it: on a shared node a burst of other work can make one trial lose packets the link would
 * carry (the repeat is reported as a trial of its own). Pure: the trial itself is passed in.
 */
public final class ThroughputSearch {
    /** NDR: RFC 2544 throughput allows no loss; 0.001 % is the customary tolerance for counting noise. */
    public static final double NDR_THRESHOLD_PERCENT = 0.001;
    public static final double DEFAULT_MIN = 1;
    public static final double DEFAULT_MAX = 1000;
    public static final int DEFAULT_MAX_TRIALS = 12;
    public static final int DEFAULT_TRIAL_SECONDS = 2;

    public record Settings(double minRate, double maxRate, double precision, double lossThresholdPercent, int maxTrials) {
        public static Settings of(SearchSpec spec) {
            SearchSpec s = spec == null ? new SearchSpec() : spec;
            double max = s.getMaxRate() == null ? DEFAULT_MAX : s.getMaxRate();
            double min = s.getMinRate() == null ? DEFAULT_MIN : s.getMinRate();
            return new Settings(min, max,
                    s.getPrecision() == null ? max * 0.02 : s.getPrecision(),
                    s.getLossThresholdPercent() == null ? NDR_THRESHOLD_PERCENT : s.getLossThresholdPercent(),
                    s.getMaxTrials() == null ? DEFAULT_MAX_TRIALS : s.getMaxTrials());
        }
    }

    /** Every trial in order and the highest passing rate (null when none passed). */
    public record Outcome(List<Trial> trials, Double foundRate) {
    }

    private ThroughputSearch() {
    }

    /** {@code trial} offers the given rate and reports whether it passed (see {@link #judge}). */
    public static Outcome run(Settings s, DoubleFunction<Trial> trial) {
        List<Trial> trials = new ArrayList<>();
        Double found = null;
        double low = s.minRate();
        double high = s.maxRate();
        double rate = s.maxRate();
        while (trials.size() < s.maxTrials()) {
            Trial t = trial.apply(rate);
            trials.add(t);
            if (!Boolean.TRUE.equals(t.getPassed()) && rate < s.maxRate() && trials.size() < s.maxTrials()) {
                t = trial.apply(rate);
                trials.add(t);
            }
            if (Boolean.TRUE.equals(t.getPassed())) {
                found = rate;
                low = rate;
                if (rate >= s.maxRate()) {
                    break;
                }
            } else {
                high = rate;
            }
            if (high - low <= s.precision()) {
                break;
            }
            rate = (low + high) / 2;
        }
        return new Outcome(trials, found);
    }

    /**
     * A trial passes when the receiver's loss is within the threshold, the generator actually offered the rate (at
     * least 99 %: a sender throttled by a shaper on its own interface, or starved of CPU, loses nothing but did not
     * offer the load), and the receiver got what was sent at the pace it was sent (at least 99 % of the sent rate less
     * the loss): a queue building up behind the link stretches the arrivals before it overflows, which in a trial of a
     * second or two is the only sign that the rate is above what the link carries.
     */
    public static Trial judge(double offeredRate, double sentRate, double receivedRate, double lossPercent, double thresholdPercent) {
        boolean offered = sentRate >= 0.99 * offeredRate;
        boolean kept = receivedRate >= 0.99 * sentRate * (1 - lossPercent / 100);
        return Trial.builder()
                .rate(offeredRate)
                .measuredRate(receivedRate)
                .lossPercent(lossPercent)
                .passed(offered && kept && lossPercent <= thresholdPercent)
                .build();
    }
}
