package io.nfvlab.api.bridge;

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
public class DpdkBridgeStatus {
    @JsonPropertyDescription("The spec generation this status describes.")
    private Long observedGeneration;
    @JsonPropertyDescription("Nodes whose agent reports the bridge up.")
    private Integer nodesReady;
    @JsonPropertyDescription("vhost-user ports on those nodes that are not in error.")
    private Integer portsReady;
    @JsonPropertyDescription("What each selected node realized: the bridge and each of its ports.")
    private List<NodeBridgeStatus> nodes;
    @Builder.Default
    @JsonPropertyDescription("Ready, Reconciling, Stalled, Progressing and Degraded.")
    private List<Condition> conditions = new ArrayList<>();
}
