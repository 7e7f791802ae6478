package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;

import java.util.List;

/** pingpair (Mininet's): one echo each way between the first two hosts (or source and destination). */
public final class PingPairKind extends PingFamily {
    PingPairKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.PINGPAIR;
    }

    @Override
    public List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts) {
        String a = or(spec.getSource(), hosts.get(0));
        String b = or(spec.getDestination(), hosts.get(1));
        return List.of(new HostPair(a, b), new HostPair(b, a));
    }
}
