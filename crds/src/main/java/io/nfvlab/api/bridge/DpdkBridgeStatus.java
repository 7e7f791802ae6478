package io.nfvlab.api.bridge;

import io.fabric8.kubernetes.api.model.Condition;
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
public class DpdkBridgeStatus {
    private Long observedGeneration;
    private Integer nodesReady;
    private Integer portsReady;
    private List<NodeBridgeStatus> nodes;
    @Builder.Default
    private List<Condition> conditions = new ArrayList<>();
}
