package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** iperfudp (Mininet's): UDP at a target rate (bandwidthMbps) with iperf3; reports throughput, loss and jitter. */
public final class IperfUdpKind extends IperfFamily {
    IperfUdpKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.IPERFUDP;
    }

    @Override
    public Set<Criterion> criteria() {
        return Set.of(Criterion.MIN_THROUGHPUT, Criterion.MAX_LOSS);
    }

    @Override
    public TrafficParameters parameters(TrafficTestSpec spec) {
        return TrafficParameters.builder().durationSeconds(spec.getDurationSeconds()).bandwidthMbps(spec.getBandwidthMbps())
                .packetSize(spec.getPacketSize()).parallel(spec.getParallel()).build();
    }

    @Override
    public Set<Tool> tools(TrafficParameters parameters) {
        return Set.of(Tool.IP, Tool.IPERF3);
    }

    @Override
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate) {
        return Checks.first(() -> Checks.pairErrors(results), () -> Checks.maxLoss(spec.getPassCriteria(), results),
                () -> Checks.minThroughput(spec.getPassCriteria(), results));
    }

    @Override
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate) {
        return "Results: " + results.stream()
                .map(r -> (r.getBitsPerSecond() == null ? "no result" : TrafficSummary.rate(r.getBitsPerSecond())
                        + String.format(Locale.ROOT, ", %.2f%% lost, jitter %.3f ms", r.getLossPercent(), r.getJitterMs()))
                        + " (" + TrafficSummary.pair(r) + ")")
                .collect(Collectors.joining("; "));
    }
}
