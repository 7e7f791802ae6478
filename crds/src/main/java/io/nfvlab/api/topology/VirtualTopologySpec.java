package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;
import lombok.Singular;

import java.util.List;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
// an empty list counts as absent: Java builders (@Singular) send hosts: [] with every built-in topology
@ValidationRule(value = "!(has(self.topology) && ((has(self.hosts) && size(self.hosts) > 0)"
        + " || (has(self.switches) && size(self.switches) > 0) || (has(self.links) && size(self.links) > 0)))",
        message = "a topology is either built-in (spec.topology) or explicit (spec.hosts, spec.switches, spec.links), not both")
@ValidationRule(value = "has(self.topology) || has(self.hosts)",
        message = "a topology needs either spec.topology (built-in) or spec.hosts (explicit)")
// on the spec, not on each switch: spec.bridgeRef names the DpdkBridge of every ovs-dpdk switch that names none
@ValidationRule(value = "has(self.bridgeRef) || !has(self.switches)"
        + " || self.switches.all(s, !has(s.kind) || s.kind != 'ovs-dpdk' || has(s.bridgeRef))",
        message = "a switch of kind ovs-dpdk needs bridgeRef naming its DpdkBridge (on the switch, or spec.bridgeRef for all)")
public class VirtualTopologySpec {
    @JsonPropertyDescription("A Mininet built-in topology (minimal, single, linear, reversed, tree, torus). "
            + "Mutually exclusive with hosts/switches/links. At most 10000 hosts and 20000 hosts and switches in all, as for explicit ones.")
    private BuiltinTopology topology;

    // maxItems bound the cost the API server estimates for the CEL rules on each item (it refuses unbounded ones)
    @Singular
    @Size(max = 10000)
    @JsonPropertyDescription("Explicit hosts: each becomes a network namespace.")
    private List<HostSpec> hosts;

    // Lombok would name the single-element adder "switch", which Java code cannot call
    @Singular("switchSpec")
    @Size(max = 10000)
    @JsonPropertyDescription("Explicit switches: Linux bridges, OVS bridges (userspace datapath where the kernel module is missing) or OVS-DPDK bridges.")
    private List<SwitchSpec> switches;

    @Singular
    @Size(max = 20000)
    @JsonPropertyDescription("Explicit links, each written once as a pair of endpoints (a, b) with Mininet TCLink parameters.")
    private List<LinkSpec> links;

    @JsonPropertyDescription("Kind of the switches of a built-in topology: linux-bridge (default), ovs or ovs-dpdk.")
    private SwitchKind switchKind;

    @JsonPropertyDescription("The DpdkBridge the ovs-dpdk switches live on: every switch of a built-in with switchKind ovs-dpdk, "
            + "and every explicit ovs-dpdk switch that names none of its own.")
    private String bridgeRef;

    @JsonPropertyDescription("Link parameters and LinkProfiles applied to every link unless the link sets its own. Precedence, "
            + ProfileNames.PRECEDENCE)
    private LinkDefaults linkDefaults;

    @Singular
    @Size(max = 20000)
    @JsonPropertyDescription("Per-link parameters applied on top of the built-in or explicit links, addressed by their two nodes "
            + "(what `nfvlab link s1 h1 down` writes); they win over the link's own values and profiles. Precedence, " + ProfileNames.PRECEDENCE)
    private List<LinkSpec> linkOverrides;

    @Default("10.0.0.0/8")
    @Pattern("^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$")
    @JsonPropertyDescription("IPv4 block the hosts' addresses come from, as Mininet's --ipbase; host hN gets the N-th address. Default 10.0.0.0/8.")
    private String ipBase;

    @JsonPropertyDescription("Give hosts MAC addresses derived from their number, as `mn --mac` (h1 gets 00:00:00:00:00:01).")
    private Boolean autoMac;

    @JsonPropertyDescription("Fill every host's ARP table with every other host, as `mn --arp`.")
    private Boolean staticArp;

    @JsonPropertyDescription("Where the hosts and switches run: which nodes, and how to spread them.")
    private PlacementSpec placement;

    /** Link defaults without profiles, as code written before LinkProfiles (and the CLI's --link) gives them. */
    public static class VirtualTopologySpecBuilder {
        public VirtualTopologySpecBuilder linkDefaults(LinkParams linkDefaults) {
            this.linkDefaults = LinkDefaults.of(linkDefaults);
            return this;
        }
    }

    public List<HostSpec> hostsOrEmpty() {
        return hosts == null ? List.of() : hosts;
    }

    public List<SwitchSpec> switchesOrEmpty() {
        return switches == null ? List.of() : switches;
    }

    public List<LinkSpec> linksOrEmpty() {
        return links == null ? List.of() : links;
    }

    public List<LinkSpec> linkOverridesOrEmpty() {
        return linkOverrides == null ? List.of() : linkOverrides;
    }
}
