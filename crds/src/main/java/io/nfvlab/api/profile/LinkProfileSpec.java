package io.nfvlab.api.profile;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.nfvlab.api.topology.LinkParams;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.NoArgsConstructor;
import lombok.ToString;
import lombok.experimental.SuperBuilder;

/**
 * A profile's values: exactly the link parameters ({@link LinkParams}), so that every parameter a link takes can come
 * from a profile. A profile names no other profiles, so profiles cannot form cycles.
 */
@Data
@EqualsAndHashCode(callSuper = true)
@ToString(callSuper = true)
@SuperBuilder(toBuilder = true)
@NoArgsConstructor
public class LinkProfileSpec extends LinkParams {
    @Size(max = 256)
    @JsonPropertyDescription("What the profile stands for and where its figures come from (shown by kubectl get -o wide).")
    private String description;
}
