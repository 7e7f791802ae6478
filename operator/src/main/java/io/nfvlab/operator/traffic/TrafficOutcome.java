package io.nfvlab.operator.traffic;

import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;
import io.nfvlab.api.validation.TrafficTestValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The results of one run gathered from the node states, the Mininet-style summary, and the verdict of the pass
 * criteria. Pure: the reconciler hands in the plan and the node states it read.
 */
public record TrafficOutcome(Phase phase, String reason, String message, String summary, List<PairResult> results,
                             List<Trial> trials, Double foundRate) {
    public static final String PASSED = "Passed";
    public static final String JOB_FAILED = "JobFailed";
    public static final String PAIR_FAILED = "PairFailed";
    public static final String NO_RATE_FOUND = "NoRateFound";
    public static final String MAX_LOSS = "MaxLossPercentExceeded";
    public static final String MIN_THROUGHPUT = "MinThroughputNotReached";
    public static final String MAX_RTT = "MaxRttExceeded";
    public static final String MIN_MPPS = "MinMppsNotReached";
    /** Pairs kept in status.results: a 64-host pingall has 4032, which would make the object needlessly large. */
    public static final int MAX_STATUS_PAIRS = 512;

    /** The pairs to show in status: all of them when few, else those with loss or errors first, in run order. */
    public static List<PairResult> forStatus(List<PairResult> results) {
        if (results.size() <= MAX_STATUS_PAIRS) {
            return results;
        }
        List<PairResult> shown = new ArrayList<>();
        results.stream().filter(TrafficOutcome::troubled).limit(MAX_STATUS_PAIRS).forEach(shown::add);
        results.stream().filter(r -> !troubled(r)).limit(MAX_STATUS_PAIRS - shown.size()).forEach(shown::add);
        return shown;
    }

    private static boolean troubled(PairResult r) {
        return r.getError() != null || (r.getLossPercent() != null && r.getLossPercent() > 0);
    }

    /** Empty while any client job of the run has no finished result yet. */
    public static Optional<TrafficOutcome> collect(TrafficTestSpec spec, Map<String, List<TrafficJob>> plan,
                                                   Map<String, NetworkNodeState> states) {
        List<PairResult> results = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        Double found = null;
        List<String> jobFailures = new ArrayList<>();
        for (Map.Entry<String, List<TrafficJob>> e : plan.entrySet()) {
            NetworkNodeState state = states.get(e.getKey());
            for (TrafficJob job : e.getValue()) {
                if (!TrafficPlanner.ROLE_CLIENT.equals(job.getRole())) {
                    continue;
                }
                Optional<TrafficJobResult> r = resultOf(state, job);
                if (r.isEmpty() || "Running".equals(r.get().getPhase())) {
                    return Optional.empty();
                }
                if ("Failed".equals(r.get().getPhase())) {
                    jobFailures.add("node " + e.getKey() + ": " + r.get().getMessage());
                }
                if (r.get().getResults() != null) {
                    results.addAll(r.get().getResults());
                }
                if (r.get().getTrials() != null) {
                    trials.addAll(r.get().getTrials());
                }
                if (r.get().getFoundRate() != null) {
                    found = r.get().getFoundRate();
                }
            }
        }
        Double foundRate = found;
        String summary = summary(spec, results, trials, foundRate);
        if (!jobFailures.isEmpty()) {
            return Optional.of(new TrafficOutcome(Phase.FAILED, JOB_FAILED, String.join("; ", jobFailures), summary, results, trials, found));
        }
        Optional<String[]> failed = judge(spec, results, foundRate);
        return Optional.of(failed
                .map(f -> new TrafficOutcome(Phase.FAILED, f[0], f[1], summary, results, trials, foundRate))
                .orElseGet(() -> new TrafficOutcome(Phase.SUCCEEDED, PASSED, passMessage(spec), summary, results, trials, foundRate)));
    }

    static Optional<TrafficJobResult> resultOf(NetworkNodeState state, TrafficJob job) {
        if (state == null || state.getStatus() == null || state.getStatus().getTrafficResults() == null) {
            return Optional.empty();
        }
        return state.getStatus().getTrafficResults().stream()
                .filter(r -> job.getId().equals(r.getId()) && job.getRunKey().equals(r.getRunKey()))
                .findFirst();
    }

    /** [reason, message] of the first failed check, in the order: pair errors, loss, throughput, rtt, Mpps. */
    static Optional<String[]> judge(TrafficTestSpec spec, List<PairResult> results, Double found) {
        TrafficType type = spec.getType();
        boolean ping = TrafficTestValidator.isPing(type);
        boolean search = TrafficTestValidator.isSearch(type);
        if (!ping) {
            // a ping pair that got no statistics counts as lost (as Mininet); any other pair error means no measurement
            for (PairResult r : results) {
                if (r.getError() != null && !(search && found == null)) {
                    return Optional.of(new String[]{PAIR_FAILED, pair(r) + ": " + r.getError()});
                }
            }
        }
        if (search && found == null) {
            return Optional.of(new String[]{NO_RATE_FOUND, results.stream().map(PairResult::getError).filter(e -> e != null)
                    .findFirst().orElse("no rate met the loss threshold")});
        }
        PassCriteria pass = spec.getPassCriteria();
        if (pass == null) {
            return Optional.empty();
        }
        if (pass.getMaxLossPercent() != null && !search) {
            for (PairResult r : results) {
                if (r.getLossPercent() != null && r.getLossPercent() > pass.getMaxLossPercent()) {
                    long failing = results.stream().filter(x -> x.getLossPercent() != null && x.getLossPercent() > pass.getMaxLossPercent()).count();
                    return Optional.of(new String[]{MAX_LOSS, "passCriteria.maxLossPercent " + num(pass.getMaxLossPercent()) + ": "
                            + pair(r) + " lost " + num(r.getLossPercent()) + "%" + (failing > 1 ? " (" + failing + " pairs over the limit)" : "")});
                }
            }
        }
        if (pass.getMinThroughputMbps() != null) {
            if (search) {
                if (found < pass.getMinThroughputMbps()) {
                    return Optional.of(new String[]{MIN_THROUGHPUT, "passCriteria.minThroughputMbps " + num(pass.getMinThroughputMbps())
                            + ": the search found " + num(found) + " Mbit/s"});
                }
            } else {
                for (PairResult r : results) {
                    double mbps = r.getBitsPerSecond() == null ? 0 : r.getBitsPerSecond() / 1e6;
                    if (mbps < pass.getMinThroughputMbps()) {
                        return Optional.of(new String[]{MIN_THROUGHPUT, "passCriteria.minThroughputMbps " + num(pass.getMinThroughputMbps())
                                + ": " + pair(r) + " reached " + num(mbps) + " Mbit/s"});
                    }
                }
            }
        }
        if (pass.getMaxRttMs() != null) {
            for (PairResult r : results) {
                if (r.getRttAvgMs() != null && r.getRttAvgMs() > pass.getMaxRttMs()) {
                    return Optional.of(new String[]{MAX_RTT, "passCriteria.maxRttMs " + num(pass.getMaxRttMs()) + ": "
                            + pair(r) + " averaged " + num(r.getRttAvgMs()) + " ms"});
                }
            }
        }
        if (pass.getMinMpps() != null) {
            for (PairResult r : results) {
                double mpps = r.getRxMpps() == null ? 0 : r.getRxMpps();
                if (mpps < pass.getMinMpps()) {
                    return Optional.of(new String[]{MIN_MPPS, "passCriteria.minMpps " + num(pass.getMinMpps()) + ": "
                            + pair(r) + " received " + num(mpps) + " Mpps"});
                }
            }
        }
        return Optional.empty();
    }

    /** Mininet's line for ping types; a comparable one-liner for the others. */
    static String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double found) {
        TrafficType type = spec.getType();
        if (TrafficTestValidator.isPing(type)) {
            return TrafficSummary.pingResults(results);
        }
        if (TrafficTestValidator.isSearch(type)) {
            double threshold = spec.getSearch() == null || spec.getSearch().getLossThresholdPercent() == null
                    ? 0.001 : spec.getSearch().getLossThresholdPercent();
            String what = threshold <= 0.001 ? "NDR" : "PDR (" + num(threshold) + "% loss)";
            return found == null ? "Results: no rate met " + num(threshold) + "% loss in " + trials.size() + " trials"
                    : "Results: " + what + " " + num(found) + " Mbit/s after " + trials.size() + " trials" + pairs(results);
        }
        Function<PairResult, String> one = switch (type) {
            case IPERF -> r -> r.getBitsPerSecond() == null ? "no result" : TrafficSummary.rate(r.getBitsPerSecond());
            case IPERFUDP -> r -> r.getBitsPerSecond() == null ? "no result" : TrafficSummary.rate(r.getBitsPerSecond())
                    + String.format(Locale.ROOT, ", %.2f%% lost, jitter %.3f ms", r.getLossPercent(), r.getJitterMs());
            default -> r -> String.format(Locale.ROOT, "rx %.2f Mpps, tx %.2f Mpps",
                    r.getRxMpps() == null ? 0 : r.getRxMpps(), r.getTxMpps() == null ? 0 : r.getTxMpps());
        };
        return "Results: " + results.stream().map(r -> one.apply(r) + " (" + pair(r) + ")").collect(Collectors.joining("; "));
    }

    private static String pairs(List<PairResult> results) {
        return results.isEmpty() ? "" : " (" + pair(results.get(0)) + ")";
    }

    private static String passMessage(TrafficTestSpec spec) {
        return spec.getPassCriteria() == null ? "the traffic ran; no pass criteria set" : "every pass criterion met";
    }

    static String pair(PairResult r) {
        return r.getSource() == null ? "testpmd" : r.getSource() + " → " + r.getDestination();
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }
}
