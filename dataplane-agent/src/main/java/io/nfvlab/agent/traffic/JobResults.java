package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.traffic.PairResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a job's result keeps of its pairs for the node state's status: totals over every pair, and all its pairs
 * up to {@link #ALL_PAIRS_UP_TO}, else at most {@link #MAX_LISTED_PAIRS} of them, those with loss or an error first. A pingall of a few hundred hosts has
 * 10^5 pairs; listing them all would pass the API server's object limit (the TrafficTest's status lists fewer still).
 */
public final class JobResults {
    public static final int MAX_LISTED_PAIRS = 50;
    /**
     * A job of at most this many pairs lists them all, as the TrafficTest's status does (its own cap is the same), so
     * that Mininet's reachability grid of a small pingall is whole; a larger one lists {@link #MAX_LISTED_PAIRS}.
     */
    public static final int ALL_PAIRS_UP_TO = 512;

    private JobResults() {
    }

    /** {@code result} with its totals set and its list of pairs capped; unchanged when it lists no pairs. */
    public static TrafficJobResult aggregated(TrafficJobResult result) {
        List<PairResult> pairs = result.getResults();
        if (pairs == null || pairs.isEmpty()) {
            return result;
        }
        TrafficJobResult out = result.toBuilder().pairCount((long) pairs.size())
                .troubledPairs(pairs.stream().filter(JobResults::troubled).count()).build();
        if (pairs.stream().anyMatch(p -> p.getSent() != null)) {
            out.setSent(pairs.stream().map(PairResult::getSent).filter(Objects::nonNull).mapToLong(Long::longValue).sum());
            out.setReceived(pairs.stream().map(PairResult::getReceived).filter(Objects::nonNull).mapToLong(Long::longValue).sum());
        }
        if (pairs.size() > ALL_PAIRS_UP_TO) {
            List<PairResult> listed = new ArrayList<>(MAX_LISTED_PAIRS);
            pairs.stream().filter(JobResults::troubled).limit(MAX_LISTED_PAIRS).forEach(listed::add);
            pairs.stream().filter(p -> !troubled(p)).limit(MAX_LISTED_PAIRS - listed.size()).forEach(listed::add);
            out.setResults(listed);
        }
        return out;
    }

    /** A pair with an error or any loss. */
    public static boolean troubled(PairResult r) {
        return r.getError() != null || (r.getLossPercent() != null && r.getLossPercent() > 0);
    }
}
