package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.nfvlab.api.traffic.TrafficSummary.number;
import static io.nfvlab.api.traffic.TrafficSummary.pair;

/**
 * throughput-search: an RFC 2544 binary search for the highest UDP rate whose loss stays within a
 * threshold, between the pair iperf would use. Judged on the rate found; its loss threshold is spec.search's, not
 * passCriteria.maxLossPercent.
 */
public final class ThroughputSearchKind extends IperfFamily {
    /** NDR: the customary tolerance for counting noise when RFC 2544 allows no loss. */
    public static final double NDR_THRESHOLD_PERCENT = 0.001;
    public static final String GENERATOR_TESTPMD = "testpmd";

    ThroughputSearchKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.THROUGHPUT_SEARCH;
    }

    @Override
    public boolean takesSearch() {
        return true;
    }

    @Override
    public Set<Criterion> criteria() {
        return Set.of(Criterion.MIN_THROUGHPUT, Criterion.MAX_LOSS);
    }

    @Override
    public TrafficParameters parameters(TrafficTestSpec spec) {
        return TrafficParameters.builder().search(spec.getSearch()).packetSize(spec.getPacketSize()).build();
    }

    /** Whether the search generates with testpmd instead of iperf3. */
    public static boolean onTestpmd(TrafficParameters parameters) {
        return parameters.getSearch() != null && GENERATOR_TESTPMD.equals(parameters.getSearch().getGenerator());
    }

    @Override
    public Set<Tool> tools(TrafficParameters parameters) {
        return onTestpmd(parameters) ? Set.of(Tool.DPDK_TESTPMD) : Set.of(Tool.IP, Tool.IPERF3);
    }

    @Override
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double found) {
        if (found == null) {
            // a pair error is why nothing was found: that is the message
            return Optional.of(new Verdict(Verdict.NO_RATE_FOUND, results.stream().map(PairResult::getError).filter(e -> e != null)
                    .findFirst().orElse("no rate met the loss threshold")));
        }
        PassCriteria pass = spec.getPassCriteria();
        return Checks.first(() -> Checks.pairErrors(results), () -> pass == null || pass.getMinThroughputMbps() == null
                || found >= pass.getMinThroughputMbps() ? Optional.empty()
                : Optional.of(new Verdict(Verdict.MIN_THROUGHPUT, "passCriteria.minThroughputMbps " + number(pass.getMinThroughputMbps())
                + ": the search found " + number(found) + " Mbit/s")));
    }

    @Override
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double found) {
        double threshold = spec.getSearch() == null || spec.getSearch().getLossThresholdPercent() == null
                ? NDR_THRESHOLD_PERCENT : spec.getSearch().getLossThresholdPercent();
        String what = threshold <= NDR_THRESHOLD_PERCENT ? "NDR" : "PDR (" + number(threshold) + "% loss)";
        return found == null ? "Results: no rate met " + number(threshold) + "% loss in " + trials.size() + " trials"
                : "Results: " + what + " " + number(found) + " Mbit/s after " + trials.size() + " trials"
                + (results.isEmpty() ? "" : " (" + pair(results.get(0)) + ")");
    }
}
