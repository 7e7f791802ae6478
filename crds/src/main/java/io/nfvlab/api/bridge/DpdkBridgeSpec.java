package io.nfvlab.api.bridge;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;
import lombok.Singular;

import java.util.List;
import java.util.Map;

@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "!has(self.ports) || self.ports.all(p, self.ports.exists_one(q, q.name == p.name))",
        message = "port names must be unique")
public class DpdkBridgeSpec {
    @JsonPropertyDescription("Nodes to build the bridge on (labels); default every node running an nfvlab agent.")
    private Map<String, String> nodeSelector;

    @Required
    @Pattern("^[a-z][a-z0-9-]{0,14}$")
    @JsonPropertyDescription("OVS bridge name (at most 15 characters), e.g. br-dpdk0.")
    private String bridgeName;

    @JsonPropertyDescription("DPDK settings of ovs-vswitchd on the node.")
    private DpdkSettings dpdk;

    @Singular
    // bounds the API server's cost estimate of the unique-names rule (it refuses unbounded lists there)
    @Size(max = 128)
    @JsonPropertyDescription("vhost-user ports of the bridge.")
    private List<VhostUserPort> ports;

    @JsonPropertyDescription("OpenFlow rules: NORMAL (default, a learning switch) or port-to-port pairs.")
    private FlowSpec flows;
}
