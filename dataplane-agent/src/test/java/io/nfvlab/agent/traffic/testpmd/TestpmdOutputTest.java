package io.nfvlab.agent.traffic.testpmd;

import io.nfvlab.agent.ovsdpdk.VhostSockets;

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

/** testpmd output parsing and argument vectors, without DPDK. */
class TestpmdOutputTest {
    @TempDir
    Path tmp;

    private static String fixture() throws IOException {
        try (InputStream in = TestpmdOutputTest.class.getResourceAsStream("/testpmd/flowgen-two-ports.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void realFlowgenOutputGivesTotalsAndSteadyRates() throws IOException {
        // captured from dpdk-testpmd 22.11 (flowgen on two net_null ports, --stats-period 1, stopped by SIGINT)
        TestpmdOutput out = TestpmdOutput.parse(fixture());
        assertThat(out.ports()).containsOnlyKeys(0, 1);
        TestpmdOutput.Port p0 = out.ports().get(0);
        assertThat(p0.txPackets()).isEqualTo(33470208L);
        assertThat(p0.rxPackets()).isEqualTo(33470208L);
        assertThat(p0.txDropped()).isZero();
        // zero samples (links coming up) are skipped: mean of 7363329 and 9937893
        assertThat(p0.txMpps()).isCloseTo(8.650611, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void pairsAreDirectionsWithLossFromTotals() {
        String text = """
                  ---------------------- Forward statistics for port 0  ----------------------
                  RX-packets: 900            RX-dropped: 0             RX-total: 900
                  TX-packets: 1000           TX-dropped: 5000          TX-total: 6000
                  ---------------------- Forward statistics for port 1  ----------------------
                  RX-packets: 990            RX-dropped: 0             RX-total: 990
                  TX-packets: 1000           TX-dropped: 0             TX-total: 1000
                  +++++++++++++++ Accumulated forward statistics for all ports+++++++++++++++
                  RX-packets: 1890           RX-dropped: 0             RX-total: 1890
                """;
        var request = TestpmdRunner.Request.of(List.of(new VhostSockets.Attachment("a", Path.of("/run/a.sock"), true),
                new VhostSockets.Attachment("b", Path.of("/run/b.sock"), true)), "flowgen", 64, Duration.ofSeconds(5), "t");
        List<PairResult> pairs = TestpmdRunner.pairs(request, TestpmdOutput.parse(text));
        assertThat(pairs).extracting(PairResult::getSource, PairResult::getDestination, PairResult::getSent,
                        PairResult::getReceived, PairResult::getLossPercent)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "b", 1000L, 990L, 1.0),
                        org.assertj.core.groups.Tuple.tuple("b", "a", 1000L, 900L, 10.0));
    }

    @Test
    void argvKeepsForwardingOffThePmdCoreAndServesClientSockets() {
        var request = TestpmdRunner.Request.of(List.of(new VhostSockets.Attachment("a", Path.of("/run/a.sock"), true),
                new VhostSockets.Attachment("b", Path.of("/var/run/openvswitch/b"), false)), "io", 128, Duration.ofSeconds(2), "nfvtp-x");
        List<String> argv = TestpmdRunner.argv(request);
        assertThat(argv).containsSequence("-l", "0,1", "--main-lcore", "1").contains("--in-memory", "--single-file-segments",
                "--no-pci", "--vdev=virtio_user0,path=/run/a.sock,server=1,queues=1",
                "--vdev=virtio_user1,path=/var/run/openvswitch/b,queues=1", "--forward-mode=io", "--txpkts=128", "--tx-first");
    }

    @Test
    void badRequestsAreRefusedWithTheField() {
        var attach = List.of(new VhostSockets.Attachment("a", Path.of("/run/a,server=0.sock"), true));
        assertThat(TestpmdRunner.invalid(TestpmdRunner.Request.of(attach, "flowgen", 64, Duration.ofSeconds(1), "x")))
                .contains("cannot be passed to virtio_user");
        var ok = List.of(new VhostSockets.Attachment("a", Path.of("/run/a.sock"), true));
        assertThat(TestpmdRunner.invalid(TestpmdRunner.Request.of(ok, "5tuple", 64, Duration.ofSeconds(1), "x"))).startsWith("testpmd.mode");
        assertThat(TestpmdRunner.invalid(TestpmdRunner.Request.of(ok, "flowgen", 32, Duration.ofSeconds(1), "x"))).startsWith("packetSize");
        assertThat(TestpmdRunner.invalid(TestpmdRunner.Request.of(ok, "flowgen", 64, Duration.ofSeconds(1), "X;rm"))).startsWith("filePrefix");
        assertThat(TestpmdRunner.run(TestpmdRunner.Request.of(List.of(), "flowgen", 64, Duration.ofSeconds(1), "x")).failed()).isTrue();
    }
}
