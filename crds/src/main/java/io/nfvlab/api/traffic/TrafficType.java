package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The type a user writes in {@code spec.type}. What each type does lives in its kind
 * ({@code TrafficKinds.of} in api.traffic.kinds); this enum only names them.
 */
public enum TrafficType {
    @JsonProperty("ping") PING,
    @JsonProperty("pingpair") PINGPAIR,
    @JsonProperty("pingall") PINGALL,
    @JsonProperty("iperf") IPERF,
    @JsonProperty("iperfudp") IPERFUDP,
    @JsonProperty("testpmd") TESTPMD,
    @JsonProperty("throughput-search") THROUGHPUT_SEARCH,
    @JsonProperty("rfc2544") RFC2544;

    /** The name as written in YAML and on the command line (the constant's {@code @JsonProperty}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<TrafficType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
