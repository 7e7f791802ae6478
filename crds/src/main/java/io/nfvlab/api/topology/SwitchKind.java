package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum SwitchKind {
    @JsonProperty("linux-bridge") LINUX_BRIDGE,
    @JsonProperty("ovs") OVS,
    @JsonProperty("ovs-dpdk") OVS_DPDK;

    public String wireName() {
        return switch (this) {
            case LINUX_BRIDGE -> "linux-bridge";
            case OVS -> "ovs";
            case OVS_DPDK -> "ovs-dpdk";
        };
    }
}
