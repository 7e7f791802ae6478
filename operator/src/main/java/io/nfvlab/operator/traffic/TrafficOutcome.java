package io.nfvlab.operator.traffic;

import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.Role;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.Trial;
import io.nfvlab.api.traffic.kinds.TrafficKind;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import io.nfvlab.api.traffic.kinds.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results of one run gathered from the node states, with the summary and the verdict of the test's kind. Pure:
 * the reconciler hands in the plan and the node states it read.
 */
public record TrafficOutcome(Phase phase, String reason, String message, String summary, List<PairResult> results,
                             List<Trial> trials, Double foundRate, List<Rfc2544Row> rfc2544) {
    public static final String PASSED = "Passed";
    public static final String JOB_FAILED = "JobFailed";
    public static final String PAIR_FAILED = Verdict.PAIR_FAILED;
    public static final String NO_RATE_FOUND = Verdict.NO_RATE_FOUND;
    public static final String MAX_LOSS = Verdict.MAX_LOSS;
    public static final String MIN_THROUGHPUT = Verdict.MIN_THROUGHPUT;
    public static final String MAX_RTT = Verdict.MAX_RTT;
    public static final String MIN_MPPS = Verdict.MIN_MPPS;
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
        List<Rfc2544Row> rows = new ArrayList<>();
        Double found = null;
        List<String> jobFailures = new ArrayList<>();
        // agents send echo totals beside a capped list of pairs; the summary counts every pair
        long sent = 0;
        long received = 0;
        boolean totals = false;
        for (Map.Entry<String, List<TrafficJob>> e : plan.entrySet()) {
            NetworkNodeState state = states.get(e.getKey());
            for (TrafficJob job : e.getValue()) {
                if (job.getRole() != Role.CLIENT) {
                    continue;
                }
                Optional<TrafficJobResult> r = resultOf(state, job);
                if (r.isEmpty() || r.get().getPhase() == JobPhase.RUNNING) {
                    return Optional.empty();
                }
                if (r.get().getPhase() == JobPhase.FAILED) {
                    jobFailures.add("node " + e.getKey() + ": " + r.get().getMessage());
                }
                if (r.get().getResults() != null) {
                    results.addAll(r.get().getResults());
                }
                if (r.get().getSent() != null) {
                    totals = true;
                    sent += r.get().getSent();
                    received += r.get().getReceived() == null ? 0 : r.get().getReceived();
                } else if (r.get().getResults() != null) {
                    sent += r.get().getResults().stream().map(PairResult::getSent).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).sum();
                    received += r.get().getResults().stream().map(PairResult::getReceived).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).sum();
                }
                if (r.get().getTrials() != null) {
                    trials.addAll(r.get().getTrials());
                }
                if (r.get().getRfc2544() != null) {
                    rows.addAll(r.get().getRfc2544());
                }
                if (r.get().getFoundRate() != null) {
                    found = r.get().getFoundRate();
                }
            }
        }
        Double foundRate = found;
        TrafficKind kind = TrafficKinds.of(spec.getType());
        String summary = kind.summary(spec, results, trials, foundRate, totals ? new TrafficKind.EchoTotals(sent, received) : null, rows);
        if (!jobFailures.isEmpty()) {
            return Optional.of(new TrafficOutcome(Phase.FAILED, JOB_FAILED, String.join("; ", jobFailures), summary, results, trials, found, rows));
        }
        Optional<Verdict> failed = kind.judge(spec, results, foundRate, rows);
        return Optional.of(failed
                .map(f -> new TrafficOutcome(Phase.FAILED, f.reason(), f.message(), summary, results, trials, foundRate, rows))
                .orElseGet(() -> new TrafficOutcome(Phase.SUCCEEDED, PASSED, passMessage(spec), summary, results, trials, foundRate, rows)));
    }

    /** What the client jobs still running say they are doing (e.g. an rfc2544 search's progress), if any says anything. */
    public static Optional<String> progress(Map<String, List<TrafficJob>> plan, Map<String, NetworkNodeState> states) {
        List<String> messages = new ArrayList<>();
        plan.forEach((node, jobs) -> jobs.stream().filter(j -> j.getRole() == Role.CLIENT)
                .map(j -> resultOf(states.get(node), j))
                .flatMap(Optional::stream)
                .filter(r -> r.getPhase() == JobPhase.RUNNING && r.getMessage() != null && !r.getMessage().isBlank())
                .forEach(r -> messages.add(r.getMessage())));
        return messages.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", messages));
    }

    static Optional<TrafficJobResult> resultOf(NetworkNodeState state, TrafficJob job) {
        if (state == null || state.getStatus() == null || state.getStatus().getTrafficResults() == null) {
            return Optional.empty();
        }
        return state.getStatus().getTrafficResults().stream()
                .filter(r -> job.getId().equals(r.getId()) && job.getRunKey().equals(r.getRunKey()))
                .findFirst();
    }

    private static String passMessage(TrafficTestSpec spec) {
        return spec.getPassCriteria() == null ? "the traffic ran; no pass criteria set" : "every pass criterion met";
    }
}
