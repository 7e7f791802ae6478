package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.nfvlab.api.topology.SwitchKind;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlannedSwitch {
    /** Logical name (s1). */
    @JsonPropertyDescription("The switch's logical name (s1).")
    private String name;
    @JsonPropertyDescription("linux-bridge, ovs or ovs-dpdk.")
    private SwitchKind kind;
    /** Kernel / OVS bridge name in the node's root namespace (nv<token>b<i>), or the DpdkBridge's bridge for ovs-dpdk. */
    @JsonPropertyDescription("The bridge in the node's root namespace (nv<token>b<i>), or the DpdkBridge's bridge for ovs-dpdk.")
    private String device;
    @JsonPropertyDescription("Spanning tree on the bridge.")
    private Boolean stp;
    /** OpenFlow controller target, ovs only. */
    @JsonPropertyDescription("OpenFlow controller target (ovs only).")
    private String controller;
    /** ovs-dpdk: the DpdkBridge name this switch lives on. */
    @JsonPropertyDescription("ovs-dpdk: the DpdkBridge this switch lives on.")
    private String dpdkBridge;
}
