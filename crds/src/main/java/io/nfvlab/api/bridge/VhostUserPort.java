package io.nfvlab.api.bridge;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class VhostUserPort {
    public enum Type {
        @JsonProperty("dpdkvhostuser") DPDKVHOSTUSER,
        @JsonProperty("dpdkvhostuserclient") DPDKVHOSTUSERCLIENT
    }

    @Required
    @Pattern("^[a-z][a-z0-9-]{0,14}$")
    @Size(max = 15)
    @JsonPropertyDescription("OVS port name (at most 15 characters), e.g. vhu0.")
    private String name;

    @JsonPropertyDescription("dpdkvhostuserclient (default: OVS connects to the socket the peer serves) or dpdkvhostuser (OVS serves the socket).")
    private Type type;

    @Pattern("^/[A-Za-z0-9._/-]+$")
    @JsonPropertyDescription("dpdkvhostuserclient: socket path; default <socketDir>/<bridge>/<port>.sock.")
    private String socketPath;

    @Min(1)
    @Max(16)
    @JsonPropertyDescription("Number of queue pairs; default 1.")
    private Integer queues;

    @Min(68)
    @Max(9710)
    @JsonPropertyDescription("MTU request of the port.")
    private Integer mtu;
}
