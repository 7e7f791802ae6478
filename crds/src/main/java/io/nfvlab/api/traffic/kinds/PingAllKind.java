package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** pingall (Mininet's): one echo over every ordered pair of the hosts, or of spec.hosts when given. */
public final class PingAllKind extends PingFamily {
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
    public Optional<List<String>> allPairsOf(TrafficTestSpec spec, List<String> hosts) {
        return Optional.of(spec.getHosts() == null ? hosts : spec.getHosts());
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
}
