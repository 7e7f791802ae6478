package io.nfvlab.api.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A reference to another nfvlab object, by name (and namespace where the referring object allows it). */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class ObjectRef {
    @Required
    @JsonPropertyDescription("Name of the referenced object.")
    private String name;

    @JsonPropertyDescription("Namespace of the referenced object; defaults to the referring object's namespace.")
    private String namespace;
}
