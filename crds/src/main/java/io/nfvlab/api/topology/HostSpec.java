package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * A host: a network namespace with one interface per link, named hN-ethM as Mininet names them; or, with
 * {@code vhostUser}, a DPDK application's vhost-user endpoint on an ovs-dpdk switch; or, with {@code pod}, a container
 * whose network namespace receives interfaces eth1, eth2, … (one per link, in link order).
 */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "!has(self.vhostUser) || !self.vhostUser || (!has(self.ip) && !has(self.mac) && !has(self.defaultRoute))",
        message = "a vhostUser host has no network namespace: ip, mac and defaultRoute do not apply")
@ValidationRule(value = "!has(self.pod) || !has(self.vhostUser) || !self.vhostUser",
        message = "a host is a container (pod) or a vhost-user endpoint (vhostUser), not both")
public class HostSpec {
    @Required
    @Pattern(Names.NODE_NAME_PATTERN)
    @JsonPropertyDescription("Host name: a DNS label of at most 10 characters (so that \"<name>-eth<N>\" fits in 15), e.g. h1.")
    private String name;

    @Pattern("^([0-9]{1,3}\\.){3}[0-9]{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$")
    @JsonPropertyDescription("IPv4 address (optionally with prefix length) of the host's first interface; default from ipBase.")
    private String ip;

    @Pattern(Names.UNICAST_MAC_PATTERN)
    @JsonPropertyDescription("Unicast MAC address of the host's first interface (the lowest bit of the first octet clear, as Linux "
            + "requires); default random, or derived from the host number with autoMac.")
    private String mac;

    @JsonPropertyDescription("Kubernetes node to run this host on (placement strategy explicit).")
    private String node;

    @JsonPropertyDescription("Interface to use as default route (e.g. h1-eth0), optionally with a gateway as Mininet writes it "
            + "(\"via 10.1.0.1\" or \"h1-eth0 via 10.1.0.1\"); default the first interface. A pod host gets a default route "
            + "only when this is set (its own software routes).")
    private String defaultRoute;

    @JsonPropertyDescription("Make this host a vhost-user endpoint instead of a network namespace: each of its links becomes a "
            + "dpdkvhostuserclient port on the DpdkBridge of the ovs-dpdk switch it links to, and a DPDK application (testpmd, a VNF) "
            + "serves the port's socket (status.hostAddresses[].vhostUser lists the socket paths). Only for hosts whose every link "
            + "goes to a switch of kind ovs-dpdk; such links take mtu but no shaping.")
    private Boolean vhostUser;

    @JsonPropertyDescription("Make this host a container: a template nfvlab starts, or a reference to an existing pod. Its links "
            + "are its interfaces eth1, eth2, … in link order, with the topology's addresses, MACs and shaping; traffic tests "
            + "run their tools in its network namespace (the image needs no ping or iperf3).")
    private PodHostSpec pod;

    @JsonIgnore
    public boolean isPodHost() {
        return pod != null;
    }

    @JsonIgnore
    public boolean isVhostUserHost() {
        return Boolean.TRUE.equals(vhostUser);
    }
}
