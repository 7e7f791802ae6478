package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlannedDpdkBridge {
    /** The DpdkBridge object's name. */
    @JsonPropertyDescription("The DpdkBridge object this bridge belongs to.")
    private String name;
    /** Directory holding the vhost-user sockets of this bridge on the node. */
    @JsonPropertyDescription("Directory on the node holding the bridge's vhost-user sockets.")
    private String socketDir;
    @JsonPropertyDescription("The DpdkBridge's spec, as the operator planned it.")
    private DpdkBridgeSpec spec;
}
