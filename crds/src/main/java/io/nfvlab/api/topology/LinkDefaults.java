package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.nfvlab.api.crdgen.schema.JsonMergePatch;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.NoArgsConstructor;
import lombok.ToString;
import lombok.experimental.SuperBuilder;

import java.util.List;

/** The parameters every link of a topology starts from: LinkProfiles and values of their own. */
@Data
@EqualsAndHashCode(callSuper = true)
@ToString(callSuper = true)
@SuperBuilder(toBuilder = true)
@NoArgsConstructor
@SchemaCustomizer(value = JsonMergePatch.class, input = ProfileNames.SCHEMA_PATCH)
public class LinkDefaults extends LinkParams {
    @Size(max = ProfileNames.MAX_PROFILES)
    @JsonPropertyDescription("LinkProfiles every link starts from, applied in order (a later profile's value wins). Precedence, "
            + ProfileNames.PRECEDENCE)
    private List<String> profiles;

    /** {@code params} as defaults (no profiles); null for null. */
    public static LinkDefaults of(LinkParams params) {
        if (params == null || params instanceof LinkDefaults) {
            return (LinkDefaults) params;
        }
        return ProfileNames.convert(params, LinkDefaults.class);
    }
}
