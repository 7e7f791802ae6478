package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * One host of a staticArp topology as its neighbours see it. The plan lists every host once; the agent gives each
 * of its hosts an entry for every other host (on the host's addressed interface), so the stored plan stays linear in
 * hosts while the kernel work is Mininet's.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class ArpEntry {
    @JsonPropertyDescription("The host (h1).")
    private String host;
    @JsonPropertyDescription("Its address, without prefix length.")
    private String address;
    @JsonPropertyDescription("The MAC of its addressed interface.")
    private String mac;
}
