package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * One end of a link as the agent realizes it. A host end lives inside the host's namespace under its Mininet name
 * (h1-eth0); a switch end lives in the root namespace under a short kernel name and is a port of {@code bridge}.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class Endpoint {
    /** Logical node (h1, s1). */
    @JsonPropertyDescription("The logical host or switch of this end (h1, s1).")
    private String node;
    /** Mininet interface name (h1-eth0, s1-eth2). */
    @JsonPropertyDescription("The Mininet interface name (h1-eth0, s1-eth2).")
    private String interfaceName;
    /** Kernel device name: equals interfaceName inside a host namespace; nv<token><i>a|b in the root namespace. */
    @JsonPropertyDescription("The kernel device: the interface name inside a host namespace, nv<token><i>a|b in the root namespace.")
    private String device;
    /** Host namespace, or null for the root namespace. */
    @JsonPropertyDescription("The host network namespace of this end; empty for the root namespace.")
    private String netns;
    /** Bridge device the end is a port of (switch ends only). */
    @JsonPropertyDescription("The bridge device this end is a port of (switch ends only).")
    private String bridge;
    /** MAC address (host ends), or null for a kernel-chosen one. */
    @JsonPropertyDescription("The MAC address of a host end; empty for one the kernel chooses.")
    private String mac;
    /**
     * The end of a vhostUser host: the socket a DPDK application serves for this link; OVS connects to it through a
     * dpdkvhostuserclient port named {@code device} on {@code bridge}. Such a link is that one OVS port: its switch end
     * names the same device and bridge, and neither end is a kernel interface.
     */
    @JsonPropertyDescription("A vhostUser host end: the socket its DPDK application serves, which OVS connects to through a dpdkvhostuserclient port named device on bridge.")
    private String vhostUserSocket;

    @JsonIgnore
    public boolean isHostEnd() {
        return netns != null;
    }

    @JsonIgnore
    public boolean isVhostUser() {
        return vhostUserSocket != null;
    }
}
