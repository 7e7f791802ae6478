package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.Trial;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What ping, pingpair and pingall share: echo parameters, ping's programs, Mininet's judging and summary line. */
public abstract sealed class PingFamily extends TrafficKind permits PingKind, PingPairKind, PingAllKind {
    PingFamily() {
    }

    @Override
    public final Set<Criterion> criteria() {
        return Set.of(Criterion.MAX_RTT, Criterion.MAX_LOSS);
    }

    @Override
    public final TrafficParameters parameters(TrafficTestSpec spec) {
        return TrafficParameters.builder().count(spec.getCount()).intervalSec(spec.getIntervalSec()).packetSize(spec.getPacketSize()).build();
    }

    /** fping, when installed, only makes pingall cheaper; ping is the one that must be there. */
    @Override
    public final Set<Tool> tools(TrafficParameters parameters) {
        return Set.of(Tool.IP, Tool.PING);
    }

    /** As Mininet: a pair that got no statistics counts as lost, not as an error of the test. */
    @Override
    public final Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate) {
        return Checks.first(() -> Checks.maxLoss(spec.getPassCriteria(), results), () -> Checks.maxRtt(spec.getPassCriteria(), results));
    }

    @Override
    public final String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate) {
        return TrafficSummary.pingResults(results);
    }

    /** Mininet's line over every pair the agents counted, listed or not. */
    @Override
    public final String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate, EchoTotals totals) {
        return totals == null ? summary(spec, results, trials, foundRate) : TrafficSummary.pingResults(totals.sent(), totals.received());
    }
}
