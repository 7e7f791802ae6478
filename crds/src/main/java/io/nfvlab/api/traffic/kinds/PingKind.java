package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** ping: echoes (10 by default) from the source to the destination, by default the first host to the second. */
public final class PingKind extends TrafficKind {
    PingKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.PING;
    }

    @Override
    public Set<Criterion> criteria() {
        return PingFamily.CRITERIA;
    }

    @Override
    public List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts) {
        return List.of(new HostPair(or(spec.getSource(), hosts.get(0)), or(spec.getDestination(), hosts.get(1))));
    }

    @Override
    public TrafficParameters parameters(TrafficTestSpec spec) {
        return PingFamily.parameters(spec);
    }

    @Override
    public Set<Tool> tools(TrafficParameters parameters) {
        return PingFamily.tools();
    }

    @Override
    public Optional<Verdict> judge(TrafficTestSpec spec, List<PairResult> results, Double foundRate) {
        return PingFamily.judge(spec, results);
    }

    @Override
    public String summary(TrafficTestSpec spec, List<PairResult> results, List<Trial> trials, Double foundRate) {
        return PingFamily.summary(results);
    }
}
