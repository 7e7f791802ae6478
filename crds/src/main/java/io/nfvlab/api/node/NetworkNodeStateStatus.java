package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.nfvlab.api.common.ConditionSchema;
import io.nfvlab.api.crdgen.JsonMergePatch;
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
    private List<Condition> conditions = new ArrayList<>();
    private Integer hostsReady;
    private Integer switchesReady;
    private Integer linksReady;
    private Integer tunnelsReady;
    @JsonPropertyDescription("Actions the last apply performed (0 when the kernel already matched).")
    private Integer lastActions;
    private String lastSyncTime;
    @JsonPropertyDescription("Items that could not be realized, with the reason.")
    private List<ItemError> errors;
    private List<NodeBridgeStatus> dpdkBridges;
    private List<TrafficJobResult> trafficResults;

    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class ItemError {
        /** hosts/h1, links/h1-eth0~s1-eth1, switches/s1 … */
        private String item;
        private String message;
    }
}
