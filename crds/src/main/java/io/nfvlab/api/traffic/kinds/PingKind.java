package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;

import java.util.List;

/** ping: echoes (10 by default) from the source to the destination, by default the first host to the second. */
public final class PingKind extends PingFamily {
    PingKind() {
    }

    @Override
    public TrafficType type() {
        return TrafficType.PING;
    }

    @Override
    public List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts) {
        return List.of(new HostPair(or(spec.getSource(), hosts.get(0)), or(spec.getDestination(), hosts.get(1))));
    }
}
