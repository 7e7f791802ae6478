package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum TrafficType {
    @JsonProperty("ping") PING,
    @JsonProperty("pingpair") PINGPAIR,
    @JsonProperty("pingall") PINGALL,
    @JsonProperty("iperf") IPERF,
    @JsonProperty("iperfudp") IPERFUDP,
    @JsonProperty("testpmd") TESTPMD,
    @JsonProperty("throughput-search") THROUGHPUT_SEARCH,
    @JsonProperty("rfc2544") RFC2544
}
