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

/**
 * The DPDK path of an rfc2544 test: which vhostUser host generates and which returns the frames, either through
 * testpmd forwarding on it or, with dutMode bridge, by being the generator's second port across the DpdkBridge.
 */
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
    @JsonPropertyDescription("The vhostUser host on the same node that returns the frames: testpmd (the device under test) "
            + "serves its socket in macswap or io; with dutMode bridge the generator counts the frames on its socket.")
    private String dut;

    @Pattern("^(macswap|io|bridge)$")
    @JsonPropertyDescription("What the device under test is. macswap (default) or io: testpmd forwarding on dut's port "
            + "returns each frame through the bridge to the generator (a third busy-polling process beside OVS's PMD and "
            + "the generator: give it a core of its own). bridge: the DpdkBridge itself; the generator sends on "
            + "generator's port and counts on dut's, so only OVS's PMD and the generator poll (fits two cores).")
    private String dutMode;
}
