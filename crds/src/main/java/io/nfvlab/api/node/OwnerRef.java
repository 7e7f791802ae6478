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
    @JsonPropertyDescription("Kind of the owner: VirtualTopology, DpdkBridge or TrafficTest.")
    private String kind;
    @JsonPropertyDescription("Namespace of the owner; empty for a cluster-scoped DpdkBridge.")
    private String namespace;
    @JsonPropertyDescription("Name of the owner.")
    private String name;
    @JsonPropertyDescription("UID of the owner: a recreated owner with the same name is another one.")
    private String uid;
    @JsonPropertyDescription("Generation of the owner this plan was made from.")
    private Long generation;
    @JsonPropertyDescription("Short hex token derived from kind/namespace/name; prefixes kernel names and marks OVS objects.")
    private String token;
}
