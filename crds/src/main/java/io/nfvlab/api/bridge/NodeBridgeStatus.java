package io.nfvlab.api.bridge;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.List;

/** What one node's agent realized of a DpdkBridge; also used inside NetworkNodeState status. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class NodeBridgeStatus {
    @JsonPropertyDescription("The Kubernetes node.")
    private String node;
    @JsonPropertyDescription("The OVS bridge (spec.bridgeName).")
    private String bridgeName;
    @JsonPropertyDescription("True when the bridge exists on the node with datapath netdev and DPDK initialized.")
    private Boolean bridgeUp;
    @JsonPropertyDescription("Why the bridge is not up, or what the agent is waiting for.")
    private String message;
    @JsonPropertyDescription("Each vhost-user port of the bridge.")
    private List<PortStatus> ports;

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class PortStatus {
        @JsonPropertyDescription("The port name (spec.ports[].name).")
        private String name;
        @JsonPropertyDescription("The vhost-user socket on the node: what a DPDK application or a pod attaches to.")
        private String socketPath;
        /** up, down or error, as OVS reports link_state. */
        @JsonPropertyDescription("up, down or error, as OVS reports the port link_state.")
        private String state;
        @JsonPropertyDescription("The error OVS reports for the port, if any.")
        private String error;
        @JsonPropertyDescription("Packets the port received (OVS statistics).")
        private Long rxPackets;
        @JsonPropertyDescription("Packets the port sent (OVS statistics).")
        private Long txPackets;
        @JsonPropertyDescription("Received packets the port dropped (OVS statistics).")
        private Long rxDropped;
        @JsonPropertyDescription("Packets the port dropped on sending (OVS statistics).")
        private Long txDropped;
    }
}
