package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * A host that is a container (a pod in a cluster, a podman container with {@code nfvlab run}): the topology's links
 * become its extra interfaces eth1, eth2, … in link order; its own first interface (a pod's eth0) stays untouched.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "has(self.template) != has(self.podRef)",
        message = "a pod host has either a template (nfvlab starts the container) or a podRef (an existing one), exactly one")
public class PodHostSpec {
    @JsonPropertyDescription("The container nfvlab starts for this host (and removes with the topology).")
    private PodTemplate template;

    @Pattern("^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("Name of an existing pod (in a cluster: in the topology's namespace; with `nfvlab run`: a podman "
            + "container on this machine) whose network namespace receives this host's links. nfvlab neither starts nor "
            + "removes it; deleting the topology removes only the interfaces it added.")
    private String podRef;
}
