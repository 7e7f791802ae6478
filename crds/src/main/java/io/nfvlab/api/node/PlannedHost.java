package io.nfvlab.api.node;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;
import lombok.Singular;

import java.util.List;

/**
 * A host: a network namespace; its interfaces are created by the links and tunnels that end at it. A vhostUser host
 * has no namespace: its links are vhost-user ports on OVS-DPDK bridges.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlannedHost {
    /** Logical name (h1). */
    private String name;
    /** Network namespace name (nfv-<token>-h1); null for a vhostUser host. */
    private String netns;
    /** A DPDK application's vhost-user endpoint: nothing to create for the host itself, its links are OVS ports. */
    private Boolean vhostUser;
    /** Address and MAC of each interface, by interface name (h1-eth0). */
    @Singular
    private List<PlannedInterface> interfaces;
    /** Interface carrying the default route, or null for none. */
    private String defaultRoute;

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isVhostUserHost() {
        return Boolean.TRUE.equals(vhostUser);
    }

    public List<PlannedInterface> interfacesOrEmpty() {
        return interfaces == null ? List.of() : interfaces;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class PlannedInterface {
        private String name;
        /** CIDR, e.g. 10.0.0.1/8; null for no address. */
        private String address;
        private String mac;
    }
}
