package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

import java.util.Map;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlacementSpec {
    public enum Strategy {
        @JsonProperty("pack") PACK,
        @JsonProperty("spread") SPREAD,
        @JsonProperty("explicit") EXPLICIT
    }

    @JsonPropertyDescription("pack (default): everything on one node; spread: hosts round-robin over the nodes, "
            + "each switch with most of its hosts; explicit: each host and switch names its node.")
    private Strategy strategy;

    @JsonPropertyDescription("Only nodes carrying these labels (and running an nfvlab agent) are used.")
    private Map<String, String> nodeSelector;
}
