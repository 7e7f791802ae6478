package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;
import lombok.Singular;

import java.util.List;

/** The subset of a PodSpec's single container that a topology host needs. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class PodTemplate {
    /** An image reference; never starts with "-" (it is passed to the container runtime as an argument). */
    public static final String IMAGE_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9._/:@-]{0,254}$";
    /** A capability name without its CAP_ prefix, as Kubernetes writes them. */
    public static final String CAPABILITY_PATTERN = "^[A-Z][A-Z_]{1,31}$";

    @Required
    @Pattern(IMAGE_PATTERN)
    @JsonPropertyDescription("Container image, e.g. localhost/nfvlab-frr:bookworm. It must already be on the node: nfvlab "
            + "never pulls (load an archive with `podman load` / `ctr images import`, or build it locally).")
    private String image;

    @Singular("command")
    @Size(max = 64)
    @JsonPropertyDescription("Entrypoint override, as a pod's command; default the image's.")
    private List<String> command;

    @Singular
    @Size(max = 256)
    @JsonPropertyDescription("Arguments, as a pod's args; default the image's.")
    private List<String> args;

    @Singular("env")
    @Size(max = 256)
    @JsonPropertyDescription("Environment variables of the container.")
    private List<EnvEntry> env;

    @JsonPropertyDescription("Run the container privileged (a NOS image that configures its own kernel needs it). Default false.")
    private Boolean privileged;

    @Singular
    @Size(max = 16)
    @JsonPropertyDescription("Linux capabilities added to the container's default set, as a pod's securityContext.capabilities.add "
            + "(e.g. NET_ADMIN and NET_RAW for a routing daemon); the least privilege that works, rather than privileged.")
    private List<@Pattern(CAPABILITY_PATTERN) String> capabilities;

    @Singular
    @Size(max = 32)
    @JsonPropertyDescription("Namespaced network sysctls of the container, e.g. net.ipv4.ip_forward=1 for a router.")
    private List<EnvEntry> sysctls;

    /** A name/value pair (an environment variable or a sysctl). */
    @Data
    @Builder(toBuilder = true)
    @NoArgsConstructor
    @AllArgsConstructor
    public static class EnvEntry {
        @Required
        @Pattern("^[A-Za-z_][A-Za-z0-9_.]{0,127}$")
        @JsonPropertyDescription("Name.")
        private String name;

        @Size(max = 32768)
        @JsonPropertyDescription("Value (may be empty).")
        private String value;
    }

    public List<String> commandOrEmpty() {
        return command == null ? List.of() : command;
    }

    public List<String> argsOrEmpty() {
        return args == null ? List.of() : args;
    }

    public List<EnvEntry> envOrEmpty() {
        return env == null ? List.of() : env;
    }

    public List<String> capabilitiesOrEmpty() {
        return capabilities == null ? List.of() : capabilities;
    }

    public List<EnvEntry> sysctlsOrEmpty() {
        return sysctls == null ? List.of() : sysctls;
    }
}
