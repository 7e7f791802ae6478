package io.nfvlab.api.bridge;

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
    private String node;
    private String bridgeName;
    private Boolean bridgeUp;
    private String message;
    private List<PortStatus> ports;

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class PortStatus {
        private String name;
        private String socketPath;
        /** up, down or error, as OVS reports link_state. */
        private String state;
        private String error;
        private Long rxPackets;
        private Long txPackets;
        private Long rxDropped;
        private Long txDropped;
    }
}
