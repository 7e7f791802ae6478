package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.nfvlab.api.topology.PodTemplate;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * What the agent needs for a container host: the container to run (template), or the existing one to attach to
 * (podRef). The agent names the containers it starts itself (from the owner token and host name) and attaches
 * the host's namespace name to the container's network namespace, so links, addresses and traffic treat it like any
 * host namespace.
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PlannedContainer {
    /** The container to start; null with podRef. */
    @JsonPropertyDescription("The container to start (image, command, env, capabilities); empty when podRef is set.")
    private PodTemplate template;
    /** An existing container or pod, left as it is apart from the interfaces added; null with template. */
    @JsonPropertyDescription("An existing container to attach to, left as it is apart from the interfaces nfvlab adds; empty when template is set.")
    private String podRef;
}
