package io.nfvlab.api.traffic.kinds;

import io.nfvlab.api.node.TrafficParameters;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The registry: each {@link TrafficType} to its kind. The switch has no default, so a new type needs its kind here. */
public final class TrafficKinds {
    private static final Map<TrafficType, TrafficKind> KINDS = new EnumMap<>(TrafficType.class);

    static {
        TrafficKind search = new ThroughputSearchKind();
        for (TrafficType type : TrafficType.values()) {
            KINDS.put(type, switch (type) {
                case PING -> new PingKind();
                case PINGPAIR -> new PingPairKind();
                case PINGALL -> new PingAllKind();
                case IPERF -> new IperfKind();
                case IPERFUDP -> new IperfUdpKind();
                case TESTPMD -> new TestpmdKind();
                case THROUGHPUT_SEARCH -> search;
                case RFC2544 -> new Rfc2544Kind();
            });
        }
    }

    private TrafficKinds() {
    }

    public static TrafficKind of(TrafficType type) {
        return KINDS.get(type);
    }

    /** The parameters a job of the test carries, as its kind copies them. */
    public static TrafficParameters parameters(TrafficTestSpec spec) {
        return of(spec.getType()).parameters(spec);
    }

    /** Every kind once (an alias type shares its kind), in the order of {@link TrafficType}. */
    public static List<TrafficKind> all() {
        return Arrays.stream(TrafficType.values()).map(KINDS::get).distinct().toList();
    }
}
