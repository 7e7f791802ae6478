package io.nfvlab.api.node;

import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;
import lombok.Singular;

import java.util.List;

/** A host: a network namespace; its interfaces are created by the links and tunnels that end at it. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlannedHost {
    /** Logical name (h1). */
    private String name;
    /** Network namespace name (nfv-<token>-h1). */
    private String netns;
    /** Address and MAC of each interface, by interface name (h1-eth0). */
    @Singular
    private List<PlannedInterface> interfaces;
    /** Interface carrying the default route, or null for none. */
    private String defaultRoute;
    /** Static ARP entries (staticArp). */
    @Singular("arp")
    private List<ArpEntry> arp;

    public List<PlannedInterface> interfacesOrEmpty() {
        return interfaces == null ? List.of() : interfaces;
    }

    public List<ArpEntry> arpOrEmpty() {
        return arp == null ? List.of() : arp;
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

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class ArpEntry {
        private String address;
        private String mac;
        private String interfaceName;
    }
}
