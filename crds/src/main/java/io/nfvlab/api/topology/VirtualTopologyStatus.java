package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.ArrayList;
import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class VirtualTopologyStatus {
    @JsonPropertyDescription("The spec generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing and Degraded conditions, keyed by type.")
    @Builder.Default
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Hosts realized / planned, e.g. 4/4.")
    private String hosts;

    @JsonPropertyDescription("Links realized / planned, e.g. 7/7.")
    private String links;

    private Integer hostsReady;
    private Integer hostsTotal;
    private Integer linksReady;
    private Integer linksTotal;

    @JsonPropertyDescription("What each node realized.")
    private List<NodeSummary> nodes;

    @JsonPropertyDescription("Each host's node, namespace, interfaces and addresses; for a vhostUser host, its vhost-user sockets.")
    private List<HostStatus> hostAddresses;

    @JsonPropertyDescription("VXLAN network identifiers allocated to cross-node links; kept stable across reconciles.")
    private List<TunnelAllocation> tunnels;

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class NodeSummary {
        private String node;
        private Integer hosts;
        private Integer links;
        private Boolean synced;
        private Long observedGeneration;
        private String message;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class HostStatus {
        private String name;
        private String node;
        private String netns;
        private String ip;
        private String mac;
        @JsonPropertyDescription("vhostUser hosts: one dpdkvhostuserclient port per link; a DPDK application serves each socket "
                + "(testpmd: --vdev=virtio_user0,path=<socketPath>,server=1).")
        private List<VhostUserEndpoint> vhostUser;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class VhostUserEndpoint {
        @JsonPropertyDescription("The host's interface the port stands for (h3-eth0).")
        private String interfaceName;
        @JsonPropertyDescription("The OVS port on the DpdkBridge's bridge.")
        private String port;
        @JsonPropertyDescription("The OVS bridge (the DpdkBridge's bridgeName).")
        private String bridge;
        @JsonPropertyDescription("The vhost-user socket the DPDK application serves and OVS connects to.")
        private String socketPath;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class TunnelAllocation {
        @JsonPropertyDescription("The link, as \"a-b\" of its endpoint names plus its index when parallel links exist.")
        private String link;
        private Integer vni;
    }
}
