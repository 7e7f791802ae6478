package io.nfvlab.api.node;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
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
public class NetworkNodeStateSpec {
    @Required
    @JsonPropertyDescription("The Kubernetes node whose agent realizes this state.")
    private String nodeName;

    @Required
    @JsonPropertyDescription("The resource this state was planned from; its token prefixes every kernel and OVS name.")
    private OwnerRef owner;

    @Singular
    @JsonPropertyDescription("Network namespaces to create, one per host.")
    private List<PlannedHost> hosts;

    @Singular
    @JsonPropertyDescription("Bridges to create (Linux bridge or OVS).")
    private List<PlannedSwitch> switches;

    // maxItems bound the API server's cost estimate of the CEL rules on the items (links' and tunnels' params,
    // embedded DpdkBridge and TrafficTest specs): the API server refuses rules inside unbounded lists
    @Singular
    @Size(max = 20000)
    @JsonPropertyDescription("veth pairs with both ends on this node, with their shaping.")
    private List<PlannedLink> links;

    @Singular
    @Size(max = 20000)
    @JsonPropertyDescription("VXLAN endpoints of links whose other end is on another node.")
    private List<PlannedTunnel> tunnels;

    @Singular
    @Size(max = 16)
    @JsonPropertyDescription("OVS-DPDK bridges with vhost-user ports.")
    private List<PlannedDpdkBridge> dpdkBridges;

    @Singular
    @Size(max = 10000)
    @JsonPropertyDescription("Traffic to run from (or serve in) this node's hosts.")
    private List<TrafficJob> trafficJobs;

    @Singular("staticArpEntry")
    @JsonPropertyDescription("staticArp: every host of the topology once (on any node); each host here gets an entry for every other.")
    private List<ArpEntry> staticArp;

    @JsonPropertyDescription("Set when the node's plan is split across several NetworkNodeStates: which part this is.")
    private PlanShard shard;

    public List<PlannedHost> hostsOrEmpty() {
        return hosts == null ? List.of() : hosts;
    }

    public List<PlannedSwitch> switchesOrEmpty() {
        return switches == null ? List.of() : switches;
    }

    public List<PlannedLink> linksOrEmpty() {
        return links == null ? List.of() : links;
    }

    public List<PlannedTunnel> tunnelsOrEmpty() {
        return tunnels == null ? List.of() : tunnels;
    }

    public List<PlannedDpdkBridge> dpdkBridgesOrEmpty() {
        return dpdkBridges == null ? List.of() : dpdkBridges;
    }

    public List<TrafficJob> trafficJobsOrEmpty() {
        return trafficJobs == null ? List.of() : trafficJobs;
    }

    public List<ArpEntry> staticArpOrEmpty() {
        return staticArp == null ? List.of() : staticArp;
    }
}
