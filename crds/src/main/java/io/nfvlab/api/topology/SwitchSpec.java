package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "!has(self.kind) || self.kind != 'ovs-dpdk' || has(self.bridgeRef)",
        message = "a switch of kind ovs-dpdk needs bridgeRef naming its DpdkBridge")
public class SwitchSpec {
    @Required
    @Pattern(Names.NODE_NAME_PATTERN)
    @JsonPropertyDescription("Switch name: a DNS label of at most 10 characters, e.g. s1.")
    private String name;

    @JsonPropertyDescription("linux-bridge (default), ovs (userspace netdev datapath where the kernel module is missing) or ovs-dpdk.")
    private SwitchKind kind;

    @JsonPropertyDescription("Enable spanning tree (needed when switches form a loop, e.g. torus).")
    private Boolean stp;

    @JsonPropertyDescription("ovs-dpdk: name of the DpdkBridge this switch lives on.")
    private String bridgeRef;

    @Pattern("^(tcp|ssl|unix):.+$")
    @JsonPropertyDescription("ovs: OpenFlow controller target (e.g. tcp:127.0.0.1:6653); default none, fail mode standalone (learning switch).")
    private String controller;

    @JsonPropertyDescription("Kubernetes node to run this switch on (placement strategy explicit).")
    private String node;
}
