package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** A host: a network namespace with one interface per link, named hN-ethM as Mininet names them. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
public class HostSpec {
    @Required
    @Pattern(Names.NODE_NAME_PATTERN)
    @JsonPropertyDescription("Host name: a DNS label of at most 10 characters (so that \"<name>-eth<N>\" fits in 15), e.g. h1.")
    private String name;

    @Pattern("^([0-9]{1,3}\\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$")
    @JsonPropertyDescription("IPv4 address (optionally with prefix length) of the host's first interface; default from ipBase.")
    private String ip;

    @Pattern("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")
    @JsonPropertyDescription("MAC address of the host's first interface; default random, or derived from the host number with autoMac.")
    private String mac;

    @JsonPropertyDescription("Kubernetes node to run this host on (placement strategy explicit).")
    private String node;

    @JsonPropertyDescription("Interface to use as default route (e.g. h1-eth0); default the first interface.")
    private String defaultRoute;
}
