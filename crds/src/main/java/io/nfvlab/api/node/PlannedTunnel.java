package io.nfvlab.api.node;

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
    private String id;
    private Integer vni;
    /** Underlay addresses of this node and of the peer node. */
    private String localAddress;
    private String remoteAddress;
    private Integer dstPort;
    private String peerNode;
    /** The local end: the VXLAN device takes its device name, namespace and bridge. */
    private Endpoint endpoint;
    /** Link parameters; mtu already reduced by the 50-byte VXLAN overhead where the underlay needs it. */
    private LinkParams params;
}
