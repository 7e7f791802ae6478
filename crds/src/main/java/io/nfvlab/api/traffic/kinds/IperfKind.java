package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** iperf (Mininet's): TCP bandwidth with iperf3 from the source to the destination, by default the first host to the last. */
public final class IperfKind extends IperfFamily {
    IperfKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.IPERF;
    }

    @Override
    public Set<Criterion> criteria() {
        return Set.of(Criterion.MIN_THROUGHPUT);
    }

    @Override
    public String refusal(Criterion criterion) {
        return criterion == Criterion.MAX_LOSS ? "iperf (TCP) reports no loss; use iperfudp" : null;
    }

    @Override
    public TrafficParameters parameters(TrafficTestSpec spec) {
        return TrafficParameters.builder().durationSeconds(spec.getDurationSeconds()).packetSize(spec.getPacketSize())
                .parallel(spec.getParallel()).build();
    }

    @Override
    public Set<Tool> tools(TrafficParameters parameters) {
        return Set.of(Tool.IP, Tool.IPERF3);
    }

    @Override
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate) {
        return Checks.first(() -> Checks.pairErrors(results), () -> Checks.minThroughput(spec.getPassCriteria(), results));
    }

    @Override
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate) {
        return "Results: " + results.stream()
                .map(r -> (r.getBitsPerSecond() == null ? "no result" : TrafficSummary.rate(r.getBitsPerSecond()))
                        + " (" + TrafficSummary.pair(r) + ")")
                .collect(Collectors.joining("; "));
    }

    /** iperf's pair, as Mininet: the source (default the first host) to the destination (default the last). */
}
