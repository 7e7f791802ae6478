package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * Which part of a node's plan one NetworkNodeState holds when the plan is too large for one object (a real API
 * server stores at most ~1.5 MiB per object). The agent applies the union of all parts, and only once it has every
 * part of the same plan: a part alone would make it tear down what the other parts declare.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlanShard {
    @JsonPropertyDescription("This part's position, from 0.")
    private Integer index;
    @JsonPropertyDescription("How many parts the node's plan has.")
    private Integer count;
    @JsonPropertyDescription("Hash of the whole node plan: every part of one plan carries the same.")
    private String plan;
}
