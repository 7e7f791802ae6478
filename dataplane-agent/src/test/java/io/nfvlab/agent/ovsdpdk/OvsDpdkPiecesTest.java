package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.DpdkSettings;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.api.traffic.PairResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure pieces of the OVS-DPDK side: hugepage checks, DPDK settings, flows, socket paths (OVSDB rows: ovs.RowTest). */
class OvsDpdkPiecesTest {
    @TempDir
    Path tmp;


    @Test
    void hugepageShortfallSaysWhatIsMissing() throws IOException {
        Path meminfo = tmp.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal: 1 kB\nHugePages_Total:    1024\nHugePages_Free:      100\nHugepagesize:       2048 kB\n");
        Hugepages pages = Hugepages.read(meminfo);
        assertThat(pages.shortfall(576, 0)).isEmpty();
        assertThat(pages.shortfall(576, 256)).contains("hugepages: DPDK's socket memory needs 256 free pages of 2 MB, only 100 of 1024 are free (short by 156)");
        Files.writeString(meminfo, "HugePages_Total:    0\nHugePages_Free:      0\nHugepagesize:       1048576 kB\n");
        assertThat(Hugepages.read(meminfo).shortfall(1, 0).orElseThrow()).contains("1048576 kB");
    }

    @Test
    void dpdkSettingsBecomeOtherConfig() {
        assertThat(DpdkInit.otherConfig(null)).containsEntry("dpdk-extra", "--no-pci").containsEntry("pmd-cpu-mask", "0x2")
                .containsEntry("dpdk-socket-mem", "512");
        var withPci = DpdkSettings.builder().socketMem("1024,1024").pciDevices(List.of("0000:00:04.0")).build();
        assertThat(DpdkInit.otherConfig(withPci)).containsEntry("dpdk-extra", "-a 0000:00:04.0");
        assertThat(DpdkInit.socketMemPages(withPci)).isEqualTo(1024);
        assertThat(DpdkInit.drift(DpdkSettings.builder().pmdCpuMask("0x4").build(), Map.of("pmd-cpu-mask", "0x2")))
                .hasValueSatisfying(m -> assertThat(m).contains("pmd-cpu-mask=0x4 (running: 0x2)").contains("restart"));
        assertThat(DpdkInit.drift(DpdkSettings.builder().build(), Map.of("pmd-cpu-mask", "0x2"))).isEmpty();
    }

    @Test
    void flowsAreNormalOrPortPairsInDumpFlowsForm() {
        assertThat(OvsDpdkBridges.desiredFlows(DpdkBridgeSpec.builder().bridgeName("b").build()))
                .containsExactly("priority=0 actions=NORMAL");
        var pairs = DpdkBridgeSpec.builder().bridgeName("b").flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS)
                .pairs(List.of(new FlowSpec.PortPair("y", "x"))).build()).build();
        assertThat(OvsDpdkBridges.desiredFlows(pairs)).containsExactly("in_port=x actions=output:y", "in_port=y actions=output:x");
    }

    @Test
    void socketPathsFollowThePortType() {
        var spec = DpdkBridgeSpec.builder().bridgeName("br0")
                .port(VhostUserPort.builder().name("c").build())
                .port(VhostUserPort.builder().name("s").type(VhostUserPort.Type.DPDKVHOSTUSER).build())
                .port(VhostUserPort.builder().name("p").socketPath("/run/vnf/p.sock").build()).build();
        var planned = PlannedDpdkBridge.builder().name("x").spec(spec).build();
        assertThat(VhostSockets.attachment(planned, "c")).isEqualTo(new VhostSockets.Attachment("c", Path.of("/var/run/nfvlab/dpdk/br0/c.sock"), true));
        assertThat(VhostSockets.attachment(planned, "s")).isEqualTo(new VhostSockets.Attachment("s", Path.of("/var/run/openvswitch/s"), false));
        assertThat(VhostSockets.attachment(planned, "p").socket()).isEqualTo(Path.of("/run/vnf/p.sock"));
    }
}
