package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.nfvlab.api.topology.LinkParams;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A veth pair with both ends on this node. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlannedLink {
    /** Stable id, "h1-eth0~s1-eth1" (the two Mininet interface names). */
    @JsonPropertyDescription("Stable id: the two Mininet interface names, \"h1-eth0~s1-eth1\".")
    private String id;
    @JsonPropertyDescription("One end of the veth pair.")
    private Endpoint a;
    @JsonPropertyDescription("The other end.")
    private Endpoint b;
    /** Shaping, MTU and state, applied to both ends as Mininet does; never null after planning. */
    @JsonPropertyDescription("Shaping, MTU and state, applied to both ends as Mininet does.")
    private LinkParams params;

    /** The vhostUser host's end when this link is a vhost-user port (see {@link Endpoint#getVhostUserSocket()}), else null. */
    @JsonIgnore
    public Endpoint vhostUserEnd() {
        return a != null && a.isVhostUser() ? a : b != null && b.isVhostUser() ? b : null;
    }
}
