package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "!has(self.hosts) || (!has(self.bridgeRef) && !has(self.ports))",
        message = "testpmd attaches either to a DpdkBridge's ports (bridgeRef, ports) or to a topology's vhostUser hosts (hosts), not both")
public class TestpmdSpec {
    @JsonPropertyDescription("The DpdkBridge whose vhost-user ports testpmd attaches to as virtio_user.")
    private String bridgeRef;

    @Size(min = 1, max = 2)
    @JsonPropertyDescription("Instead of bridgeRef and ports: vhostUser hosts of spec.topologyRef (one or two, on one node) whose "
            + "sockets testpmd serves; results are named by host.")
    private List<String> hosts;

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
