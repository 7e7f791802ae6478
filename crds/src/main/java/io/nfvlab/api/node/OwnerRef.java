package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class OwnerRef {
    private String kind;
    private String namespace;
    private String name;
    private String uid;
    @JsonPropertyDescription("Generation of the owner this plan was made from.")
    private Long generation;
    @JsonPropertyDescription("Short hex token derived from kind/namespace/name; prefixes kernel names and marks OVS objects.")
    private String token;
}
