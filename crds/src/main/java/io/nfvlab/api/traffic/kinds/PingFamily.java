package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What ping, pingpair and pingall share: echo parameters, ping's programs, Mininet's judging and summary line. */
final class PingFamily {
    private PingFamily() {
    }

    static final Set<TrafficKind.Criterion> CRITERIA = Set.of(TrafficKind.Criterion.MAX_RTT, TrafficKind.Criterion.MAX_LOSS);

    static TrafficParameters parameters(TrafficTestSpec spec) {
        return TrafficParameters.builder().count(spec.getCount()).intervalSec(spec.getIntervalSec()).packetSize(spec.getPacketSize()).build();
    }

    /** fping, when installed, only makes pingall cheaper; ping is the one that must be there. */
    static Set<Tool> tools() {
        return Set.of(Tool.IP, Tool.PING);
    }

    /** As Mininet: a pair that got no statistics counts as lost, not as an error of the test. */
    static Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results) {
        return Checks.first(() -> Checks.maxLoss(spec.getPassCriteria(), results), () -> Checks.maxRtt(spec.getPassCriteria(), results));
    }

    static String summary(List<PairResult> results) {
        return TrafficSummary.pingResults(results);
    }
}
