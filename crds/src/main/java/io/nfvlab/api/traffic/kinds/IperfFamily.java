package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.traffic.TrafficTestSpec;

import java.util.List;

/**
 * What the kinds iperf3 serves share: an iperf3 server on the destination, and Mininet's default pair, the first
 * host to the last.
 */
public abstract sealed class IperfFamily extends TrafficKind permits IperfKind, IperfUdpKind, ThroughputSearchKind {
    IperfFamily() {
    }

    @Override
    public final List<HostPair> pairs(TrafficTestSpec spec, List<String> hosts) {
        return List.of(new HostPair(or(spec.getSource(), hosts.get(0)), or(spec.getDestination(), hosts.get(hosts.size() - 1))));
    }

    @Override
    public final boolean needsServers() {
        return true;
    }
}
