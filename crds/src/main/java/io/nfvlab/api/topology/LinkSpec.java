package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.nfvlab.api.crdgen.schema.JsonMergePatch;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.NoArgsConstructor;
import lombok.ToString;
import lombok.experimental.SuperBuilder;

import java.util.List;

/** A link, written once as two endpoints, with its TCLink parameters. */
@Data
@EqualsAndHashCode(callSuper = true)
@ToString(callSuper = true)
@SuperBuilder(toBuilder = true)
@NoArgsConstructor
@ValidationRule(value = "self.a != self.b", message = "a link's two ends must differ")
@SchemaCustomizer(value = JsonMergePatch.class, input = ProfileNames.SCHEMA_PATCH)
public class LinkSpec extends LinkParams {
    @Required
    @Pattern(Names.NODE_NAME_PATTERN)
    @Size(max = Names.MAX_NODE_NAME)
    @JsonPropertyDescription("First endpoint: a host or switch name.")
    private String a;

    @Required
    @Pattern(Names.NODE_NAME_PATTERN)
    @Size(max = Names.MAX_NODE_NAME)
    @JsonPropertyDescription("Second endpoint: a host or switch name.")
    private String b;

    @Size(max = ProfileNames.MAX_PROFILES)
    @JsonPropertyDescription("LinkProfiles this link (or, in linkOverrides, this override) takes values from, applied in order "
            + "(a later profile's value wins); the link's own values win over them. Precedence, " + ProfileNames.PRECEDENCE)
    private List<String> profiles;

    /** True when this link joins {@code x} and {@code y}, in either order. */
    public boolean joins(String x, String y) {
        return (x.equals(a) && y.equals(b)) || (x.equals(b) && y.equals(a));
    }
}
