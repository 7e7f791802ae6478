package io.nfvlab.cli.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.traffic.Rfc2544Dpdk;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.Rfc2544Spec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc2544PrinterTest {
    @Test
    void printsTheNfvbenchGridWithAnNdrAndAPdrLinePerFrameSize() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.RFC2544).topologyRef(ObjectRef.builder().name("lab").build())
                .rfc2544(Rfc2544Spec.builder().frameSizes(List.of("64", "IMIX"))
                        .dpdk(Rfc2544Dpdk.builder().generator("vnf1").dut("vnf2").build()).build()).build();
        TrafficTest t = new TrafficTest();
        t.setMetadata(new ObjectMetaBuilder().withName("rfc").build());
        t.setSpec(spec);
        t.setStatus(TrafficTestStatus.builder().phase(TrafficTestStatus.Phase.SUCCEEDED).summary("Results: 64 B: NDR 1.2345 Mpps PDR 1.3 Mpps")
                .rfc2544(List.of(
                        Rfc2544Row.builder().frameSize("64").ndrMpps(1.2345).ndrGbps(0.8296).ndrPercent(8.3).pdrMpps(1.3).pdrGbps(0.8736)
                                .pdrPercent(8.74).pdrLossPercent(0.05).latency(List.of(
                                        Rfc2544Row.LatencyAt.builder().ndrPercent(10).avgUs(8.0).minUs(3.0).maxUs(40.0).p99Us(20.0).build(),
                                        Rfc2544Row.LatencyAt.builder().ndrPercent(50).avgUs(11.5).minUs(3.25).maxUs(120.0).p99Us(31.0).build()))
                                .backToBackFrames(4096L).build(),
                        Rfc2544Row.builder().frameSize("IMIX").error("NDR: no rate from 1 % of line up met 0 % loss").build()))
                .build());

        assertThat(TrafficPrinter.header(spec, List.of("vnf1", "vnf2")))
                .isEqualTo("*** rfc2544: frame sizes 64, IMIX (DPDK generator on vnf1, testpmd macswap on vnf2)");
        String body = TrafficPrinter.body(t, List.of(), Duration.ofSeconds(3));
        List<String> lines = body.lines().toList();
        assertThat(lines.get(1)).startsWith("| L2 Frame Size | Rate | Rate (Gbps) | Rate (Mpps) | % of line |  Drop Rate |");
        assertThat(lines.get(3)).matches("\\| 64 +\\| +NDR \\| +0\\.8296 \\| +1\\.2345 \\| +8\\.30 \\| +<= 0\\.0000% \\| +11\\.5 \\| +3\\.3 \\| +120\\.0 \\| +31\\.0 \\|");
        assertThat(lines.get(4)).matches("\\| +\\| +PDR \\| +0\\.8736 \\| +1\\.3000 \\| +8\\.74 \\| +0\\.0500% \\|.*");
        assertThat(lines.get(6)).contains("IMIX").contains("none");
        assertThat(body).contains("*** 64: latency at 10% of NDR: avg 8.0, min 3.0, max 40.0, p99 20.0 usec")
                .contains("*** 64: back-to-back 4096 frames")
                .contains("*** IMIX: NDR: no rate from 1 % of line up met 0 % loss")
                .contains("*** rfc2544 rfc completed in 3.00 seconds");
        // every line of the grid is as wide as the others
        assertThat(lines.subList(0, 9)).extracting(String::length).containsOnly(lines.get(0).length());
    }

    @Test
    void headerSaysWhenTheBridgeIsTheDeviceUnderTest() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.RFC2544).topologyRef(ObjectRef.builder().name("lab").build())
                .rfc2544(Rfc2544Spec.builder().frameSizes(List.of("64"))
                        .dpdk(Rfc2544Dpdk.builder().generator("gen").dut("sink").dutMode("bridge").build()).build()).build();

        assertThat(TrafficPrinter.header(spec, List.of("gen", "sink")))
                .isEqualTo("*** rfc2544: frame sizes 64 (DPDK generator on gen -> the DpdkBridge -> counted on sink)");
    }
}
