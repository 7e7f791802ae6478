package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.Trial;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** pingall (Mininet's): one echo over every ordered pair of the hosts, or of spec.hosts when given. */
public final class PingAllKind extends TrafficKind {
    PingAllKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.PINGALL;
    }

    @Override
    public boolean takesHosts() {
        return true;
    }

    @Override
    public Set<Criterion> criteria() {
        return PingFamily.CRITERIA;
    }

    @Override
    public List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts) {
        List<String> chosen = spec.getHosts() == null ? hosts : spec.getHosts();
        List<HostPair> pairs = new ArrayList<>(chosen.size() * Math.max(0, chosen.size() - 1));
        for (String a : chosen) {
            for (String b : chosen) {
                if (!a.equals(b)) {
                    pairs.add(new HostPair(a, b));
                }
            }
        }
        return pairs;
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
