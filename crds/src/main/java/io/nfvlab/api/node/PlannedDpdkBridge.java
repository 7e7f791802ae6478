package io.nfvlab.api.node;

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
    private String name;
    /** Directory holding the vhost-user sockets of this bridge on the node. */
    private String socketDir;
    private DpdkBridgeSpec spec;
}
