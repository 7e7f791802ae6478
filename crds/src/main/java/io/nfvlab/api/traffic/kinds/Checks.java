package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.PassCriteria;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static io.nfvlab.api.traffic.TrafficSummary.number;
import static io.nfvlab.api.traffic.TrafficSummary.pair;

/** The checks kinds judge results with; each kind chains those that apply to it, in its order. */
final class Checks {
    private Checks() {
    }

    /** The first check that fails, in the order given. */
    @SafeVarargs
    static Optional<Verdict> first(Supplier<Optional<Verdict>>... checks) {
        for (Supplier<Optional<Verdict>> check : checks) {
            Optional<Verdict> v = check.get();
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** A pair that got no measurement fails the test. */
    static Optional<Verdict> pairErrors(List<PairResult> results) {
        return results.stream().filter(r -> r.getError() != null).findFirst()
                .map(r -> new Verdict(Verdict.PAIR_FAILED, pair(r) + ": " + r.getError()));
    }

    static Optional<Verdict> maxLoss(PassCriteria pass, List<PairResult> results) {
        if (pass == null || pass.getMaxLossPercent() == null) {
            return Optional.empty();
        }
        double max = pass.getMaxLossPercent();
        for (PairResult r : results) {
            if (r.getLossPercent() != null && r.getLossPercent() > max) {
                long failing = results.stream().filter(x -> x.getLossPercent() != null && x.getLossPercent() > max).count();
                return Optional.of(new Verdict(Verdict.MAX_LOSS, "passCriteria.maxLossPercent " + number(max) + ": "
                        + pair(r) + " lost " + number(r.getLossPercent()) + "%" + (failing > 1 ? " (" + failing + " pairs over the limit)" : "")));
            }
        }
        return Optional.empty();
    }

    /** Every pair must reach the throughput; a pair without a figure counts as 0. */
    static Optional<Verdict> minThroughput(PassCriteria pass, List<PairResult> results) {
        if (pass == null || pass.getMinThroughputMbps() == null) {
            return Optional.empty();
        }
        for (PairResult r : results) {
            double mbps = r.getBitsPerSecond() == null ? 0 : r.getBitsPerSecond() / 1e6;
            if (mbps < pass.getMinThroughputMbps()) {
                return Optional.of(new Verdict(Verdict.MIN_THROUGHPUT, "passCriteria.minThroughputMbps " + number(pass.getMinThroughputMbps())
                        + ": " + pair(r) + " reached " + number(mbps) + " Mbit/s"));
            }
        }
        return Optional.empty();
    }

    static Optional<Verdict> maxRtt(PassCriteria pass, List<PairResult> results) {
        if (pass == null || pass.getMaxRttMs() == null) {
            return Optional.empty();
        }
        for (PairResult r : results) {
            if (r.getRttAvgMs() != null && r.getRttAvgMs() > pass.getMaxRttMs()) {
                return Optional.of(new Verdict(Verdict.MAX_RTT, "passCriteria.maxRttMs " + number(pass.getMaxRttMs()) + ": "
                        + pair(r) + " averaged " + number(r.getRttAvgMs()) + " ms"));
            }
        }
        return Optional.empty();
    }

    /** Every direction must receive the rate; a direction without a figure counts as 0. */
    static Optional<Verdict> minMpps(PassCriteria pass, List<PairResult> results) {
        if (pass == null || pass.getMinMpps() == null) {
            return Optional.empty();
        }
        for (PairResult r : results) {
            double mpps = r.getRxMpps() == null ? 0 : r.getRxMpps();
            if (mpps < pass.getMinMpps()) {
                return Optional.of(new Verdict(Verdict.MIN_MPPS, "passCriteria.minMpps " + number(pass.getMinMpps()) + ": "
                        + pair(r) + " received " + number(mpps) + " Mpps"));
            }
        }
        return Optional.empty();
    }
}
