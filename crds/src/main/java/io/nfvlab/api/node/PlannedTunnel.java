package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.nfvlab.api.topology.LinkParams;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The local end of a cross-node link: a VXLAN device standing in for this node's end of the veth. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlannedTunnel {
    /** The link id, same on both nodes. */
    @JsonPropertyDescription("The link id, the same on both nodes.")
    private String id;
    @JsonPropertyDescription("The VXLAN network identifier, the same on both nodes.")
    private Integer vni;
    /** Underlay addresses of this node and of the peer node. */
    @JsonPropertyDescription("This node's underlay address.")
    private String localAddress;
    @JsonPropertyDescription("The peer node's underlay address.")
    private String remoteAddress;
    @JsonPropertyDescription("The VXLAN UDP port.")
    private Integer dstPort;
    @JsonPropertyDescription("The node holding the other end.")
    private String peerNode;
    /** The local end: the VXLAN device takes its device name, namespace and bridge. */
    @JsonPropertyDescription("The local end: the VXLAN device takes its device name, namespace and bridge.")
    private Endpoint endpoint;
    /** Link parameters; mtu already reduced by the 50-byte VXLAN overhead where the underlay needs it. */
    @JsonPropertyDescription("Link parameters; mtu already reduced by the 50-byte VXLAN overhead where the underlay needs it.")
    private LinkParams params;
}
