package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class TestpmdSpec {
    @JsonPropertyDescription("The DpdkBridge whose vhost-user ports testpmd attaches to as virtio_user.")
    private String bridgeRef;

    @JsonPropertyDescription("Names of the bridge's ports to attach (two for bidirectional traffic): the DpdkBridge's own ports, "
            + "or the ports of a topology's vhostUser hosts on its bridge (VirtualTopology status.hostAddresses[].vhostUser[].port).")
    private List<String> ports;

    @Pattern("^(flowgen|txonly|rxonly|io|macswap)$")
    @JsonPropertyDescription("testpmd forwarding mode: flowgen (default), txonly, rxonly, io, macswap.")
    private String mode;

    @JsonPropertyDescription("Target rate in Mpps per port; default line rate.")
    private Double rateMpps;

    @JsonPropertyDescription("Node to run on; default the first node the bridge is Ready on.")
    private String node;
}
