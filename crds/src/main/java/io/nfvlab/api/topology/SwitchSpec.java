package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class SwitchSpec {
    @Required
    @Pattern(Names.NODE_NAME_PATTERN)
    @JsonPropertyDescription("Switch name: a DNS label of at most 10 characters, e.g. s1.")
    private String name;

    @JsonPropertyDescription("linux-bridge (default), ovs (userspace netdev datapath where the kernel module is missing) or ovs-dpdk.")
    private SwitchKind kind;

    @JsonPropertyDescription("Enable spanning tree (needed when switches form a loop, e.g. torus).")
    private Boolean stp;

    @Size(max = 253)
    @JsonPropertyDescription("ovs-dpdk: name of the DpdkBridge this switch lives on; default spec.bridgeRef.")
    private String bridgeRef;

    @Pattern(CONTROLLER_PATTERN)
    @Size(max = 270)
    @JsonPropertyDescription("ovs: OpenFlow controller target, tcp:HOST:PORT or ssl:HOST:PORT (HOST an IPv4 address, an IPv6 address "
            + "in brackets or a DNS name; PORT 1-65535), e.g. tcp:127.0.0.1:6653; default none, fail mode standalone (learning switch).")
    private String controller;

    /**
     * An OpenFlow controller target the switch may connect to: {@code tcp:} or {@code ssl:} with a host (IPv4 or
     * bracketed IPv6 literal, or a DNS name) and a port of 1-65535. No {@code unix:} (a socket path on the node), no
     * passive {@code ptcp:}, nothing that could read as an option.
     */
    public static final String CONTROLLER_PATTERN = "^(tcp|ssl):"
            + "([0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[[0-9a-fA-F:.]{2,45}\\]|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*)"
            + ":([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";

    @JsonPropertyDescription("Kubernetes node to run this switch on (placement strategy explicit).")
    private String node;
}
