package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
    @JsonPropertyDescription("The host's logical name (h1).")
    private String name;
    /** Network namespace name (nfv-<token>-h1); null for a vhostUser host. */
    @JsonPropertyDescription("The network namespace (nfv-<token>-h1); empty for a vhostUser host.")
    private String netns;
    /** A DPDK application's vhost-user endpoint: nothing to create for the host itself, its links are OVS ports. */
    @JsonPropertyDescription("A DPDK application's vhost-user endpoint: nothing is created for the host, its links are OVS ports.")
    private Boolean vhostUser;
    /**
     * A container host: its namespace ({@link #netns}) is the container's network namespace, attached under that name;
     * its interfaces are named eth1, eth2, …. Null for a namespace or vhostUser host.
     */
    @JsonPropertyDescription("A container host: the container to start or the existing one to attach to; its network namespace is attached under netns.")
    private PlannedContainer container;
    /** Gateway of the default route ("via"), or null for a route on the interface alone. */
    @JsonPropertyDescription("Gateway of the host's default route (\"via ADDR\"); empty: a default route on the interface alone, when one is asked for.")
    private String defaultGateway;
    /** Address and MAC of each interface, by interface name (h1-eth0). */
    @Singular
    @JsonPropertyDescription("Address and MAC of each interface, by interface name.")
    private List<PlannedInterface> interfaces;
    /** Interface carrying the default route, or null for none. */
    @JsonPropertyDescription("The interface carrying the default route; empty for none.")
    private String defaultRoute;

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isVhostUserHost() {
        return Boolean.TRUE.equals(vhostUser);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isContainerHost() {
        return container != null;
    }

    public List<PlannedInterface> interfacesOrEmpty() {
        return interfaces == null ? List.of() : interfaces;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class PlannedInterface {
        @JsonPropertyDescription("The interface name (h1-eth0).")
        private String name;
        /** CIDR, e.g. 10.0.0.1/8; null for no address. */
        @JsonPropertyDescription("The address with prefix length (10.0.0.1/8); empty for none.")
        private String address;
        @JsonPropertyDescription("The MAC address; empty for one the kernel chooses.")
        private String mac;
    }
}
