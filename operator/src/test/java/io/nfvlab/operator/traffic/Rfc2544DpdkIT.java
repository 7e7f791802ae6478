package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.Rfc2544Dpdk;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.Rfc2544Spec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.kinds.Verdict;
import io.nfvlab.agent.traffic.generator.DpdkGenerator;
import io.nfvlab.operator.RealDpdkNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A reduced examples/rfc2544-dpdk.yaml for real: operator and agent against the in-process API server, this machine's
 * OVS-DPDK and nfvlab-gen on one vhostUser host, the device under test either the DpdkBridge itself (nfvlab-gen counts
 * on the other host's port, as the example runs) or dpdk-testpmd macswap on the other host; one frame size, short trials.
 * What it checks holds on a loaded machine too: the search ran trials through the real generator and DUT, and what the
 * row claims is consistent (a found NDR has latency at 10/50/90 % with min ≤ p50 ≤ p99 ≤ max and a PDR at least as
 * high; none found is a Failed test naming the frame size); nothing is left (processes, hugepage files, the bridge).
 * The rates themselves are load-sensitive and printed, not asserted.
 */
class Rfc2544DpdkIT {
    private static final String NODE = "nv25dk-node";
    private static final String NS = "default";
    private static final String TOPOLOGY = "rfc2544-it";
    private static final String BRIDGE = "nv25dkit";
    private RealDpdkNode node;
    private KubernetesClient admin;

    @BeforeEach
    void start() {
        assumeTrue(DpdkGenerator.locate().isPresent(), "needs nfvlab-gen (build the traffic-generator module)");
        node = RealDpdkNode.start(NODE);
        admin = node.admin();
    }

    @AfterEach
    void stop() throws IOException {
        if (node == null) {
            return;
        }
        try {
            admin.resources(TrafficTest.class).inNamespace(NS).delete();
            admin.resources(VirtualTopology.class).inNamespace(NS).withName(TOPOLOGY).delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.resources(VirtualTopology.class).inNamespace(NS).withName(TOPOLOGY).get() == null);
            admin.resources(DpdkBridge.class).withName("rfc2544-it").delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "br-exists", BRIDGE),
                    Duration.ofSeconds(10)).exitCode() == 2);
        } finally {
            node.close();
            RealDpdkNode.removeBridge(BRIDGE);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(p -> p.info().command().orElse("?")).toList())
                .as("processes left").noneMatch(c -> c.endsWith("nfvlab-gen") || c.endsWith("dpdk-testpmd"));
        try (Stream<Path> files = Files.list(Path.of("/dev/hugepages"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("nvgen-") || n.startsWith("nfv25-")).toList())
                    .as("hugepage files left").isEmpty();
        }
    }

    @Test
    void oneFrameSizeThroughTheBridgeAsDeviceUnderTestGivesAConsistentRow() {
        TrafficTestStatus status = runOneFrameSize("bridge");
        assertThat(status.getMessage()).doesNotContain("device under test");
    }

    @Test
    void oneFrameSizeThroughOvsDpdkAndTestpmdGivesAConsistentRow() {
        TrafficTestStatus status = runOneFrameSize(null);
        assertThat(status.getMessage()).doesNotContain("device under test");
    }

    /** Runs the reduced test with testpmd's forwarding mode or bridge as the device under test, checks its row, returns its status. */
    private TrafficTestStatus runOneFrameSize(String dutMode) {
        DpdkBridge bridge = new DpdkBridge();
        bridge.getMetadata().setName("rfc2544-it");
        bridge.setSpec(DpdkBridgeSpec.builder().bridgeName(BRIDGE).build());
        admin.resource(bridge).create();
        VirtualTopology t = new VirtualTopology();
        t.getMetadata().setName(TOPOLOGY);
        t.getMetadata().setNamespace(NS);
        t.setSpec(VirtualTopologySpec.builder().switchKind(SwitchKind.OVS_DPDK).bridgeRef("rfc2544-it")
                .host(HostSpec.builder().name("gen").vhostUser(true).build())
                .host(HostSpec.builder().name("dut").vhostUser(true).build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("gen").b("s1").build())
                .link(LinkSpec.builder().a("dut").b("s1").build())
                .build());
        admin.resource(t).create();

        TrafficTest test = new TrafficTest();
        test.getMetadata().setName("rfc2544-it");
        test.getMetadata().setNamespace(NS);
        test.setSpec(TrafficTestSpec.builder().type(TrafficType.RFC2544).topologyRef(ObjectRef.builder().name(TOPOLOGY).build())
                .timeoutSeconds(50)
                .rfc2544(Rfc2544Spec.builder().frameSizes(List.of("64")).minRatePercent(0.01).maxRatePercent(0.1).precisionPercent(50.0)
                        .trialSeconds(1).finalTrialSeconds(1).maxTrials(4)
                        .dpdk(Rfc2544Dpdk.builder().generator("gen").dut("dut").dutMode(dutMode).build()).build())
                .build());
        admin.resource(test).create();
        await().atMost(Duration.ofSeconds(55)).pollInterval(Duration.ofMillis(300)).until(() -> {
            TrafficTest now = admin.resources(TrafficTest.class).inNamespace(NS).withName("rfc2544-it").get();
            return now.getStatus() != null && (now.getStatus().getPhase() == TrafficTestStatus.Phase.SUCCEEDED
                    || now.getStatus().getPhase() == TrafficTestStatus.Phase.FAILED);
        });
        TrafficTestStatus status = admin.resources(TrafficTest.class).inNamespace(NS).withName("rfc2544-it").get().getStatus();
        System.out.println("rfc2544 DPDK (" + (dutMode == null ? "macswap" : dutMode) + "): " + status.getPhase() + " " + status.getMessage() + "\n  " + status.getSummary()
                + "\n  " + status.getRfc2544());

        assertThat(status.getRfc2544()).as(status.getMessage()).singleElement().satisfies(row -> {
            assertThat(row.getFrameSize()).isEqualTo("64");
            assertThat(row.getTrials()).isPositive();
            if (row.getNdrMpps() != null) {
                assertThat(status.getPhase()).isEqualTo(TrafficTestStatus.Phase.SUCCEEDED);
                assertThat(row.getPdrMpps()).isGreaterThanOrEqualTo(row.getNdrMpps());
                assertThat(row.getLatency()).extracting(Rfc2544Row.LatencyAt::getNdrPercent).containsExactly(10, 50, 90);
                for (Rfc2544Row.LatencyAt l : row.getLatency()) {
                    assertThat(l.getMinUs()).isPositive().isLessThanOrEqualTo(l.getP50Us());
                    assertThat(l.getP50Us()).isLessThanOrEqualTo(l.getP99Us());
                    assertThat(l.getP99Us()).isLessThanOrEqualTo(l.getMaxUs());
                }
            } else if (row.getPdrMpps() == null) {
                assertThat(status.getPhase()).isEqualTo(TrafficTestStatus.Phase.FAILED);
                assertThat(status.getMessage()).contains("frame size(s) 64");
                assertThat(row.getError()).contains("NDR:").contains("PDR:");
            }
        });
        assertThat(status.getMessage()).doesNotContain("nfvlab-gen failed");
        assertThat(status.getConditions()).noneMatch(c -> Verdict.PAIR_FAILED.equals(c.getReason()));
        return status;
    }
}
