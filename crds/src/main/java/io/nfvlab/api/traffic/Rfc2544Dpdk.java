package io.nfvlab.api.traffic;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/** The DPDK path of an rfc2544 test: which vhostUser host generates and which forwards the frames back. */
@Data
@Builder(toBuilder = true)
@NoArgsConstructor
@AllArgsConstructor
@ValidationRule(value = "self.generator != self.dut", fieldPath = ".dut", message = "dut must be another vhostUser host than generator")
public class Rfc2544Dpdk {
    @Required
    @Size(max = 63)
    @JsonPropertyDescription("The vhostUser host whose socket the generator serves; it sends and counts what comes back.")
    private String generator;

    @Required
    @Size(max = 63)
    @JsonPropertyDescription("The vhostUser host whose socket testpmd (the device under test) serves on the same node.")
    private String dut;

    @Pattern("^(macswap|io)$")
    @JsonPropertyDescription("testpmd forwarding mode of the device under test: macswap (default; returns each frame to its "
            + "sender through a learning bridge) or io.")
    private String dutMode;
}
