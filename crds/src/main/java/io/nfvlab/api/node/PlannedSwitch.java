package io.nfvlab.api.node;

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
    private String name;
    private SwitchKind kind;
    /** Kernel / OVS bridge name in the node's root namespace (nv<token>b<i>), or the DpdkBridge's bridge for ovs-dpdk. */
    private String device;
    private Boolean stp;
    /** OpenFlow controller target, ovs only. */
    private String controller;
    /** ovs-dpdk: the DpdkBridge name this switch lives on. */
    private String dpdkBridge;
}
