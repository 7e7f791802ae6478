package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.nfvlab.api.bridge.NodeBridgeStatus;
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
public class NetworkNodeStateStatus {
    @JsonPropertyDescription("The spec generation the agent last applied.")
    private Long observedGeneration;
    @Builder.Default
    @JsonPropertyDescription("Synced: True when the agent applied observedGeneration without errors.")
    private List<Condition> conditions = new ArrayList<>();
    @JsonPropertyDescription("Hosts (namespaces) realized on the node.")
    private Integer hostsReady;
    @JsonPropertyDescription("Switches (bridges) realized on the node.")
    private Integer switchesReady;
    @JsonPropertyDescription("Local links (veth pairs, vhost-user ports) realized on the node.")
    private Integer linksReady;
    @JsonPropertyDescription("VXLAN tunnel ends realized on the node.")
    private Integer tunnelsReady;
    @JsonPropertyDescription("Actions the last apply performed (0 when the kernel already matched).")
    private Integer lastActions;
    @JsonPropertyDescription("When the agent last changed this status (RFC 3339).")
    private String lastSyncTime;
    @JsonPropertyDescription("Items that could not be realized, with the reason.")
    private List<ItemError> errors;
    @JsonPropertyDescription("What the agent realized of each planned DPDK bridge.")
    private List<NodeBridgeStatus> dpdkBridges;
    @JsonPropertyDescription("Results of the traffic jobs, by job id and runKey.")
    private List<TrafficJobResult> trafficResults;
    @JsonPropertyDescription("Which mechanism carries which link parameter on this node (netem, the agent's delay line, a BPF loss "
            + "filter, tbf, pfifo), one entry per combination with the shaped links and tunnel ends it applies to; "
            + "omitted when nothing is shaped. The agent logs at start whether the kernel has sch_netem.")
    private List<ShapingCarriers> shaping;

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class ItemError {
        /** hosts/h1, links/h1-eth0~s1-eth1, switches/s1 … */
        @JsonPropertyDescription("The item, by kind and name: hosts/h1, links/h1-eth0~s1-eth1, switches/s1.")
        private String item;
        @JsonPropertyDescription("Why it could not be realized.")
        private String message;
    }

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class ShapingCarriers {
        @JsonPropertyDescription("Mechanisms and the parameters each carries, e.g. delay-line(delay,jitter) bpf(lossPercent) tbf(bandwidthMbps).")
        private String mechanisms;
        @JsonPropertyDescription("The items shaped this way: links/ID or tunnels/ID.")
        private List<String> items;
    }
}
