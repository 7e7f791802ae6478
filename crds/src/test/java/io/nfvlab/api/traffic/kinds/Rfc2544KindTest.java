package io.nfvlab.api.traffic.kinds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.Rfc2544Dpdk;
import io.nfvlab.api.traffic.Rfc2544Frames;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.Rfc2544Spec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.validation.TrafficTestValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.crdvalidation.CrdSchemaValidator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class Rfc2544KindTest {
    private static final ObjectRef TOPO = ObjectRef.builder().name("lab").build();
    private static final Rfc2544Kind KIND = (Rfc2544Kind) TrafficKinds.of(TrafficType.RFC2544);

    private static TrafficTestSpec test(Rfc2544Spec r) {
        return TrafficTestSpec.builder().type(TrafficType.RFC2544).topologyRef(TOPO).rfc2544(r).build();
    }

    private static List<String> problems(TrafficTestSpec spec) {
        return TrafficTestValidator.validate(spec).stream().map(Violation::toString).toList();
    }

    @Test
    void rfc2544IsAKindOfItsOwnNotAnAliasOfThroughputSearch() {
        assertThat(KIND).isNotSameAs(TrafficKinds.of(TrafficType.THROUGHPUT_SEARCH));
        assertThat(KIND.name()).isEqualTo("rfc2544");
        assertThat(problems(test(null))).isEmpty();
        assertThat(Rfc2544Kind.frameSizes(null)).containsExactly("64", "128", "256", "512", "1024", "1280", "1518");
        assertThat(Rfc2544Kind.frameSizes(Rfc2544Spec.builder().dpdk(new Rfc2544Dpdk("g", "d", null)).build()))
                .containsExactly("64", "128", "256", "512", "1024", "1280", "1518", "IMIX");
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        assertThat(problems(test(Rfc2544Spec.builder().minRatePercent(50.0).maxRatePercent(20.0).build())))
                .containsExactly("spec.rfc2544.minRatePercent: must be below maxRatePercent (20), got 50");
        assertThat(problems(test(Rfc2544Spec.builder().frameSizes(List.of("64", "32", "jumbo", "IMIX")).build())))
                .containsExactly("spec.rfc2544.frameSizes[1]: must be 64..9018 bytes (and fit the link's MTU + 18), got 32",
                        "spec.rfc2544.frameSizes[2]: frame size must be a number of bytes or IMIX, got \"jumbo\"",
                        "spec.rfc2544.frameSizes[3]: IMIX needs the DPDK generator (spec.rfc2544.dpdk): iperf3 sends frames of one size");
        assertThat(problems(test(Rfc2544Spec.builder().maxRatePercent(120.0).build())))
                .containsExactly("spec.rfc2544.maxRatePercent: is above line rate: at most 100, got 120");
        assertThat(problems(test(Rfc2544Spec.builder().ndrLossPercent(1.0).pdrLossPercent(0.5).build())))
                .containsExactly("spec.rfc2544.pdrLossPercent: must be above ndrLossPercent (1), got 0.5");
        assertThat(problems(test(Rfc2544Spec.builder().backToBack(true).build())))
                .containsExactly("spec.rfc2544.backToBack: needs the DPDK generator (spec.rfc2544.dpdk): iperf3 cannot send a burst at line rate");
        assertThat(problems(TrafficTestSpec.builder().type(TrafficType.IPERF).topologyRef(TOPO).rfc2544(new Rfc2544Spec()).build()))
                .containsExactly("spec.rfc2544: applies to rfc2544 only");
    }

    @Test
    void theCrdRefusesInvertedBoundsARateAboveLineAndOneHostForBoth() throws Exception {
        var doc = new ObjectMapper(new YAMLFactory()).readTree("""
                apiVersion: nfvlab.io/v1alpha1
                kind: TrafficTest
                metadata: {name: bad}
                spec:
                  type: rfc2544
                  topologyRef: {name: lab}
                  rfc2544:
                    minRatePercent: 60
                    maxRatePercent: 150
                    dpdk: {generator: vnf1, dut: vnf1}
                """);
        List<String> errors = CrdSchemaValidator.forPlural("traffictests").validate(doc).stream()
                .map(e -> e.field() + ": " + e.message()).toList();
        assertThat(errors).anyMatch(e -> e.startsWith("spec.rfc2544.maxRatePercent"));
        assertThat(errors).anyMatch(e -> e.startsWith("spec.rfc2544.dpdk.dut") && e.contains("another vhostUser host"));
        var inverted = new ObjectMapper(new YAMLFactory()).readTree("""
                apiVersion: nfvlab.io/v1alpha1
                kind: TrafficTest
                metadata: {name: bad}
                spec:
                  type: rfc2544
                  topologyRef: {name: lab}
                  rfc2544: {minRatePercent: 60, maxRatePercent: 50}
                """);
        assertThat(CrdSchemaValidator.forPlural("traffictests").validate(inverted))
                .anySatisfy(e -> {
                    assertThat(e.field()).isEqualTo("spec.rfc2544.minRatePercent");
                    assertThat(e.message()).contains("below maxRatePercent");
                });
    }

    @Test
    void withTheBridgeAsDeviceUnderTestNoTestpmdRunsAndTheJobNamesNoForwardingMode() {
        TrafficTestSpec bridge = test(Rfc2544Spec.builder().dpdk(Rfc2544Dpdk.builder().generator("gen").dut("sink").dutMode("bridge").build()).build());
        assertThat(Rfc2544Kind.bridgeIsDut(bridge.getRfc2544())).isTrue();
        TrafficTestSpec onPorts = KIND.onVhostUserPorts(bridge, List.of("vh-gen", "vh-sink"));
        assertThat(onPorts.getTestpmd().getPorts()).containsExactly("vh-gen", "vh-sink");
        assertThat(onPorts.getTestpmd().getMode()).as("testpmd's own mode field would refuse \"bridge\"").isNull();
        assertThat(KIND.tools(KIND.parameters(onPorts))).isEmpty();

        TrafficTestSpec testpmd = test(Rfc2544Spec.builder().dpdk(Rfc2544Dpdk.builder().generator("gen").dut("vnf").build()).build());
        assertThat(Rfc2544Kind.bridgeIsDut(testpmd.getRfc2544())).isFalse();
        assertThat(KIND.onVhostUserPorts(testpmd, List.of("a", "b")).getTestpmd().getMode()).isEqualTo("macswap");
        assertThat(KIND.tools(KIND.parameters(KIND.onVhostUserPorts(testpmd, List.of("a", "b"))))).containsExactly(io.nfvlab.api.node.Tool.DPDK_TESTPMD);
        assertThat(Rfc2544Kind.dutMode(test(new Rfc2544Spec()).getRfc2544())).isNull();
    }

    @Test
    void theCrdTakesBridgeAsDutModeAndRefusesAnUnknownOne() throws Exception {
        String yaml = """
                apiVersion: nfvlab.io/v1alpha1
                kind: TrafficTest
                metadata: {name: t}
                spec:
                  type: rfc2544
                  topologyRef: {name: lab}
                  rfc2544:
                    dpdk: {generator: gen, dut: sink, dutMode: %s}
                """;
        var mapper = new ObjectMapper(new YAMLFactory());
        assertThat(CrdSchemaValidator.forPlural("traffictests").validate(mapper.readTree(yaml.formatted("bridge")))).isEmpty();
        assertThat(CrdSchemaValidator.forPlural("traffictests").validate(mapper.readTree(yaml.formatted("hairpin"))))
                .anySatisfy(e -> assertThat(e.field()).isEqualTo("spec.rfc2544.dpdk.dutMode"));
    }

    @Test
    void aGeneratorOnAHostWithoutVhostUserPortIsRefusedNamingTheField() {
        TrafficTestSpec dpdk = test(Rfc2544Spec.builder().dpdk(Rfc2544Dpdk.builder().generator("h1").dut("vnf2").build()).build());
        assertThat(KIND.placement(dpdk)).isEqualTo(TrafficKind.Placement.VHOST_USER_HOSTS);
        assertThat(TrafficTestValidator.validateTestpmdHosts(dpdk, List.of("vnf1", "vnf2"))).extracting(Violation::toString)
                .containsExactly("spec.rfc2544.dpdk.generator: \"h1\" is not a vhostUser host of the topology (it has vnf1, vnf2)");
    }

    @Test
    void theKernelPathTakesTheShapedLinksBandwidthAsLineRateAndRefusesFramesAboveTheMtu() {
        VirtualTopologySpec topo = VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear").k(2).build())
                .linkDefaults(LinkParams.builder().bandwidthMbps(50.0).mtu(1000).build()).build();
        List<String> v = new ArrayList<>();
        TrafficTestSpec spec = test(Rfc2544Spec.builder().frameSizes(List.of("512", "1024", "1518")).build());
        TrafficTestSpec resolved = KIND.onTopology(spec, () -> TopologyExpander.expand(topo), (f, m) -> v.add(f + ": " + m));
        assertThat(resolved.getRfc2544().getLineRateGbps()).isEqualTo(0.05);
        assertThat(v).hasSize(2).allMatch(s -> s.contains("does not fit the MTU"));
        assertThat(v.get(0)).startsWith("spec.rfc2544.frameSizes[1]: a 1024-byte frame");
        assertThat(v.get(1)).startsWith("spec.rfc2544.frameSizes[2]: a 1518-byte frame");

        List<String> unshaped = new ArrayList<>();
        KIND.onTopology(spec, () -> TopologyExpander.expand(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear").k(2).build()).build()), (f, m) -> unshaped.add(f));
        assertThat(unshaped).containsExactly("spec.rfc2544.lineRateGbps");
    }

    @Test
    void lineRatesCountPreambleAndGapAsRfc2544Does() {
        assertThat(Rfc2544Frames.lineFps("64", 10)).isCloseTo(14_880_952, within(1.0));
        assertThat(Rfc2544Frames.lineFps("1518", 10)).isCloseTo(812_744, within(1.0));
        assertThat(Rfc2544Frames.averageBytes("IMIX")).isCloseTo(353.83, within(0.01));
        assertThat(Rfc2544Frames.wireGbps("64", 14_880_952)).isCloseTo(10, within(1e-6));
    }

    @Test
    void passesWhenEveryFrameSizeFoundARateAndNamesThoseThatDidNot() {
        TrafficTestSpec spec = test(null);
        Rfc2544Row found = Rfc2544Row.builder().frameSize("64").ndrMpps(1.0).pdrMpps(1.2).build();
        Rfc2544Row none = Rfc2544Row.builder().frameSize("IMIX").error("every trial lost frames").build();
        assertThat(KIND.judge(spec, List.of(), null, List.of(found))).isEmpty();
        assertThat(KIND.judge(spec, List.of(), null, List.of(found, none))).get().extracting(Verdict::message)
                .isEqualTo("no rate met the PDR loss ratio for frame size(s) IMIX (every trial lost frames)");
        assertThat(KIND.judge(spec, List.of(), null, List.of())).isPresent();
        assertThat(KIND.summary(spec, List.of(), List.of(), null, null, List.of(found, none)))
                .isEqualTo("Results: 64 B: NDR 1.0000 Mpps PDR 1.2000 Mpps; IMIX: NDR none PDR none");
    }
}
