package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.nfvlab.api.common.ConditionSchema;
import io.nfvlab.api.crdgen.schema.JsonMergePatch;
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
@SchemaCustomizer(value = JsonMergePatch.class, input = ConditionSchema.PATCH)
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

    @JsonPropertyDescription("Hosts realized.")
    private Integer hostsReady;
    @JsonPropertyDescription("Hosts planned.")
    private Integer hostsTotal;
    @JsonPropertyDescription("Links realized (a cross-node link counts once both tunnel ends are up).")
    private Integer linksReady;
    @JsonPropertyDescription("Links planned.")
    private Integer linksTotal;

    @JsonPropertyDescription("What each node realized.")
    private List<NodeSummary> nodes;

    @JsonPropertyDescription("Each host in the topology's order (Mininet's): its node, namespace and addresses; for a vhostUser host, "
            + "its vhost-user sockets. Tools (the CLI, traffic tests) read hosts here instead of expanding the spec.")
    private List<HostStatus> hostAddresses;

    @JsonPropertyDescription("VXLAN network identifiers allocated to cross-node links; kept stable across reconciles.")
    private List<TunnelAllocation> tunnels;

    @JsonPropertyDescription("The LinkProfiles the spec names, each with the values of it in force in the plan (the spec says which "
            + "links name which profile; values written in the topology win over these). A profile that does not exist is not "
            + "listed: the Ready condition names it.")
    @io.fabric8.generator.annotation.Size(max = ProfileNames.MAX_PER_TOPOLOGY)
    private List<ProfileInForce> profiles;

    @JsonPropertyDescription("The kernel-name token the operator allocated to this topology (held in the ConfigMap "
            + "nfvlab-token-<token> of the operator's namespace): its namespaces are nfv-<token>-<host>, its devices nv<token>….")
    private String token;

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class NodeSummary {
        @JsonPropertyDescription("The Kubernetes node.")
        private String node;
        @JsonPropertyDescription("Hosts placed on the node.")
        private Integer hosts;
        @JsonPropertyDescription("Links and tunnel ends planned on the node.")
        private Integer links;
        @JsonPropertyDescription("True when the node's agent applied the current plan without errors.")
        private Boolean synced;
        @JsonPropertyDescription("The generation of the node's state its agent last applied.")
        private Long observedGeneration;
        @JsonPropertyDescription("What the node's agent last reported.")
        private String message;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class HostStatus {
        @JsonPropertyDescription("The host's name (h1).")
        private String name;
        @JsonPropertyDescription("The Kubernetes node the host runs on.")
        private String node;
        @JsonPropertyDescription("The host's network namespace on its node (ip netns exec <netns> ...); none for a vhostUser host.")
        private String netns;
        @JsonPropertyDescription("The address of the host's default interface with its prefix length (10.0.0.1/8).")
        private String ip;
        @JsonPropertyDescription("The host's address without prefix length (10.0.0.1): what ping and iperf3 target.")
        private String address;
        @JsonPropertyDescription("The MAC address of the host's default interface, when the plan sets one.")
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
    public static class ProfileInForce {
        @JsonPropertyDescription("The LinkProfile's name.")
        private String name;
        @JsonPropertyDescription("Its values, as the plan applies them to the links that name it.")
        private LinkParams values;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class TunnelAllocation {
        @JsonPropertyDescription("The link, as \"a-b\" of its endpoint names plus its index when parallel links exist.")
        private String link;
        @JsonPropertyDescription("The VXLAN network identifier.")
        private Integer vni;
    }
}
