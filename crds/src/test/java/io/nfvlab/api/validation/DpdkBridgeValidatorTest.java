package io.nfvlab.api.validation;

import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.DpdkSettings;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.VhostUserPort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DpdkBridgeValidatorTest {
    private static VhostUserPort port(String name) {
        return VhostUserPort.builder().name(name).build();
    }

    private static DpdkBridgeSpec.DpdkBridgeSpecBuilder twoPorts() {
        return DpdkBridgeSpec.builder().bridgeName("br-dpdk0").port(port("vhu0")).port(port("vhu1"));
    }

    private static List<String> fields(DpdkBridgeSpec spec) {
        return DpdkBridgeValidator.validate(spec).stream().map(Violation::field).toList();
    }

    @Test
    void bridgeWithTwoPortsAndPortPairFlowsIsValid() {
        var spec = twoPorts()
                .dpdk(DpdkSettings.builder().socketMem("512").lcoreMask("0x1").pmdCpuMask("0x2").hugepages(576).build())
                .flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS)
                        .pairs(List.of(new FlowSpec.PortPair("vhu0", "vhu1"))).build())
                .build();
        assertThat(DpdkBridgeValidator.validate(spec)).isEmpty();
    }

    @Test
    void flowNamingAnUnknownPortIsRejectedWithItsField() {
        var spec = twoPorts().flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS)
                .pairs(List.of(new FlowSpec.PortPair("vhu0", "vhu9"))).build()).build();
        var violations = DpdkBridgeValidator.validate(spec);
        assertThat(violations).extracting(Violation::field).containsExactly("spec.flows.pairs[0].b");
        assertThat(violations.get(0).message()).contains("vhu9").contains("not a port");
    }

    @Test
    void duplicatePortNamesAndSocketPathsAreRejected() {
        var spec = DpdkBridgeSpec.builder().bridgeName("br0")
                .port(VhostUserPort.builder().name("a").socketPath("/run/x/a.sock").build())
                .port(VhostUserPort.builder().name("a").socketPath("/run/x/a.sock").build()).build();
        assertThat(fields(spec)).containsExactly("spec.ports[1].name", "spec.ports[1].socketPath");
    }

    @Test
    void hostileNamesAndPathsAreRejected() {
        var spec = DpdkBridgeSpec.builder().bridgeName("br;rm -rf /")
                .port(VhostUserPort.builder().name("../../etc").build())
                .port(VhostUserPort.builder().name("ok").socketPath("/run/../etc/passwd").build())
                .port(VhostUserPort.builder().name("ok2").socketPath("/run/a,server=1").build())
                .port(VhostUserPort.builder().name("ok3").socketPath("/" + "a".repeat(200)).build())
                .port(VhostUserPort.builder().name("averyveryverylongname").build())
                .build();
        assertThat(fields(spec)).containsExactly("spec.bridgeName", "spec.ports[0].name", "spec.ports[1].socketPath",
                "spec.ports[2].socketPath", "spec.ports[3].socketPath", "spec.ports[4].name");
    }

    @Test
    void masksMustBeHexAndPmdCoresMustNotOverlapLcores() {
        var spec = twoPorts().dpdk(DpdkSettings.builder().lcoreMask("0x3").pmdCpuMask("0x2").socketMem("lots").build()).build();
        assertThat(fields(spec)).containsExactly("spec.dpdk.socketMem", "spec.dpdk.pmdCpuMask");
        var bad = twoPorts().dpdk(DpdkSettings.builder().lcoreMask("3").pmdCpuMask("0x0")
                .pciDevices(List.of("0000:00:04.0", "eth0")).build()).build();
        assertThat(fields(bad)).containsExactly("spec.dpdk.lcoreMask", "spec.dpdk.pmdCpuMask", "spec.dpdk.pciDevices[1]");
    }

    @Test
    void socketPathOnServerModePortAndPairsInNormalModeAreRejected() {
        var spec = DpdkBridgeSpec.builder().bridgeName("br0")
                .port(VhostUserPort.builder().name("a").type(VhostUserPort.Type.DPDKVHOSTUSER).socketPath("/run/a.sock").build())
                .flows(FlowSpec.builder().pairs(List.of(new FlowSpec.PortPair("a", "a"))).build())
                .build();
        assertThat(fields(spec)).containsExactly("spec.ports[0].socketPath", "spec.flows.pairs");
    }

    @Test
    void missingBridgeNameIsNamed() {
        assertThat(fields(DpdkBridgeSpec.builder().build())).containsExactly("spec.bridgeName");
        assertThat(fields(null)).containsExactly("spec");
    }
}
