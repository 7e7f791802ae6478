package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.agent.traffic.testpmd.TestpmdRunner;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.traffic.PairResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** OvsDpdkBridges and TestpmdRunner against the node's real ovs-vswitchd (DPDK build) and dpdk-testpmd. */
class OvsDpdkBridgesIT {
    private static final String PREFIX = "nvdkit";
    private final OvsDpdkBridges bridges = new OvsDpdkBridges();
    @TempDir
    Path tmp;
    private Path socketDir;

    @BeforeEach
    void setUp() {
        DpdkTestSupport.assumeOvsDpdk();
        socketDir = tmp.resolve("sockets");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        List<String> left = DpdkTestSupport.ovsObjects(PREFIX);
        DpdkTestSupport.forceRemove(PREFIX);
        assertThat(left).as("OVS objects left with prefix " + PREFIX).isEmpty();
        assertThat(DpdkTestSupport.hugepageFiles(PREFIX)).isEmpty();
    }

    private static DpdkBridgeSpec twoPortSpec(String bridge, FlowSpec flows) {
        return DpdkBridgeSpec.builder().bridgeName(bridge)
                .port(VhostUserPort.builder().name(bridge + "a").mtu(1500).build())
                .port(VhostUserPort.builder().name(bridge + "b").queues(1).build())
                .flows(flows).build();
    }

    @Test
    void bridgeWithTwoClientPortsPassesTestpmdTrafficBothWaysAndLeavesNothing() throws Exception {
        String br = PREFIX + "0";
        var flows = FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS).pairs(List.of(new FlowSpec.PortPair(br + "a", br + "b"))).build();
        NetworkNodeState state = DpdkTestSupport.state("dk0it", "it-pairs", socketDir, twoPortSpec(br, flows));
        try {
            List<NodeBridgeStatus> first = bridges.sync(state);
            assertThat(first).singleElement().satisfies(s -> {
                assertThat(s.getBridgeUp()).as(s.getMessage()).isTrue();
                assertThat(s.getPorts()).extracting(NodeBridgeStatus.PortStatus::getSocketPath)
                        .containsExactly(socketDir.resolve(br + "a.sock").toString(), socketDir.resolve(br + "b.sock").toString());
            });
            assertThat(bridges.lastActions()).isPositive();
            assertThat(Files.isDirectory(socketDir)).isTrue();
            assertThat(Ovs.dumpFlows(br)).containsExactly("in_port=" + br + "a actions=output:" + br + "b",
                    "in_port=" + br + "b actions=output:" + br + "a");
            String owner = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "get", "Bridge", br,
                    "external_ids:" + Nfvlab.OVS_OWNER_KEY), Duration.ofSeconds(10)).orThrow().stdout().strip();
            assertThat(owner).isEqualTo("dk0it");

            bridges.sync(state);
            assertThat(bridges.lastActions()).as("second sync changes nothing").isZero();

            var attachments = List.of(VhostSockets.attachment(state.getSpec().getDpdkBridges().get(0), br + "a"),
                    VhostSockets.attachment(state.getSpec().getDpdkBridges().get(0), br + "b"));
            var run = CompletableFuture.supplyAsync(() -> TestpmdRunner.run(
                    TestpmdRunner.Request.of(attachments, "flowgen", 64, Duration.ofSeconds(4), PREFIX + "-tp")));
            await().atMost(15, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(bridges.sync(state).get(0).getPorts()).extracting(NodeBridgeStatus.PortStatus::getState)
                            .containsOnly("up"));
            TestpmdRunner.Report report = run.get(60, TimeUnit.SECONDS);
            assertThat(report.failed()).as(report.message()).isFalse();
            assertThat(report.pairs()).hasSize(2);
            for (PairResult pair : report.pairs()) {
                System.out.printf("testpmd %s -> %s: tx %.3f Mpps, rx %.3f Mpps, loss %.3f%%%n", pair.getSource(),
                        pair.getDestination(), pair.getTxMpps(), pair.getRxMpps(), pair.getLossPercent());
                assertThat(pair.getRxMpps()).as("rx Mpps " + pair.getSource()).isGreaterThan(0.01);
                assertThat(pair.getReceived()).isPositive();
                assertThat(pair.getLossPercent()).isLessThan(5.0);
            }
            NodeBridgeStatus after = bridges.sync(state).get(0);
            assertThat(after.getPorts()).allSatisfy(p -> assertThat(p.getRxPackets()).isPositive());
        } finally {
            bridges.teardown(state);
        }
        assertThat(DpdkTestSupport.ovsObjects(br)).isEmpty();
        assertThat(socketDir).doesNotExist();
    }

    /** Teardown empties the socket directory of sockets only: a regular file and a FIFO named *.sock stay. */
    @Test
    void teardownDeletesOnlySocketsInTheSocketDir() throws Exception {
        String br = PREFIX + "4";
        Files.createDirectories(socketDir);
        Path file = Files.writeString(socketDir.resolve("precious.sock"), "precious");
        Path fifo = socketDir.resolve("pipe.sock");
        assertThat(CommandRunner.run(List.of("mkfifo", fifo.toString()), Duration.ofSeconds(10)).ok()).isTrue();
        NetworkNodeState state = DpdkTestSupport.state("dk4it", "it-files", socketDir, twoPortSpec(br, null));
        try {
            assertThat(bridges.sync(state).get(0).getBridgeUp()).isTrue();
        } finally {
            bridges.teardown(state);
        }
        assertThat(DpdkTestSupport.ovsObjects(br)).isEmpty();
        assertThat(file).hasContent("precious");
        assertThat(fifo).exists();
    }

    @Test
    void specChangeReplacesPortsAndFlowsInPlace() {
        String br = PREFIX + "1";
        NetworkNodeState state = DpdkTestSupport.state("dk1it", "it-change", socketDir, twoPortSpec(br, null));
        try {
            NodeBridgeStatus first = bridges.sync(state).get(0);
            assertThat(first.getBridgeUp()).as(first.getMessage() + " " + first.getPorts()).isTrue();
            assertThat(Ovs.dumpFlows(br)).containsExactly("priority=0 actions=NORMAL");
            var changed = state.getSpec().getDpdkBridges().get(0).getSpec().toBuilder().clearPorts()
                    .port(VhostUserPort.builder().name(br + "a").mtu(9000).build())
                    .port(VhostUserPort.builder().name(br + "c").type(VhostUserPort.Type.DPDKVHOSTUSER).build())
                    .build();
            state.setSpec(state.getSpec().toBuilder().clearDpdkBridges()
                    .dpdkBridge(state.getSpec().getDpdkBridges().get(0).toBuilder().spec(changed).build()).build());
            NodeBridgeStatus status = bridges.sync(state).get(0);
            assertThat(status.getBridgeUp()).as(status.getMessage()).isTrue();
            assertThat(DpdkTestSupport.ovsObjects(br)).containsExactlyInAnyOrder(br, br + "a", br + "c");
            assertThat(status.getPorts().get(1).getSocketPath()).isEqualTo("/var/run/openvswitch/" + br + "c");
            String mtu = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "get", "Interface", br + "a", "mtu_request"),
                    Duration.ofSeconds(10)).orThrow().stdout().strip();
            assertThat(mtu).isEqualTo("9000");
            bridges.sync(state);
            assertThat(bridges.lastActions()).isZero();
        } finally {
            bridges.teardown(state);
        }
    }

    @Test
    void bridgeNameOwnedBySomeoneElseIsReportedAndLeftAlone() {
        String br = PREFIX + "2";
        CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "add-br", br, "--", "set", "Bridge", br, "datapath_type=netdev"),
                Duration.ofSeconds(10)).orThrow();
        NetworkNodeState state = DpdkTestSupport.state("dk2it", "it-conflict", socketDir, twoPortSpec(br, null));
        try {
            NodeBridgeStatus status = bridges.sync(state).get(0);
            assertThat(status.getBridgeUp()).isFalse();
            assertThat(status.getMessage()).contains(br).contains("not owned");
            bridges.teardown(state);
            assertThat(DpdkTestSupport.ovsObjects(br)).containsExactly(br);
        } finally {
            CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--if-exists", "del-br", br), Duration.ofSeconds(10));
        }
    }

    @Test
    void sweepRemovesOnlyThisNodesBridgesOfDeadOwners() {
        NetworkNodeState live = DpdkTestSupport.state("dk4li", "it-live", tmp.resolve("live"), twoPortSpec(PREFIX + "4", null));
        NetworkNodeState dead = DpdkTestSupport.state("dk5de", "it-dead", tmp.resolve("dead"), twoPortSpec(PREFIX + "5", null));
        try {
            bridges.sync(live);
            bridges.sync(dead);
            assertThat(bridges.sweepOrphans("some-other-node", java.util.Set.of())).isEmpty();
            assertThat(bridges.sweepOrphans(DpdkTestSupport.NODE, java.util.Set.of("dk4li"))).containsExactly("dk5de");
            assertThat(DpdkTestSupport.ovsObjects(PREFIX + "5")).isEmpty();
            assertThat(tmp.resolve("dead")).doesNotExist();
            assertThat(DpdkTestSupport.ovsObjects(PREFIX + "4")).contains(PREFIX + "4");
        } finally {
            bridges.teardown(live);
            bridges.teardown(dead);
        }
    }

    @Test
    void hugepageShortfallIsNamedAndNothingIsBuilt() throws Exception {
        String br = PREFIX + "3";
        Path meminfo = tmp.resolve("meminfo");
        Files.writeString(meminfo, "HugePages_Total:     512\nHugePages_Free:      100\nHugepagesize:       2048 kB\n");
        var spec = twoPortSpec(br, null).toBuilder()
                .dpdk(io.nfvlab.api.bridge.DpdkSettings.builder().hugepages(1024).build()).build();
        NetworkNodeState state = DpdkTestSupport.state("dk3it", "it-huge", socketDir, spec);
        NodeBridgeStatus status = new OvsDpdkBridges(meminfo, Duration.ofSeconds(1)).sync(state).get(0);
        assertThat(status.getBridgeUp()).isFalse();
        assertThat(status.getMessage()).isEqualTo("hugepages: spec.dpdk.hugepages needs 1024 pages of 2 MB, the node has 512 "
                + "(short by 512; echo 1024 > /proc/sys/vm/nr_hugepages)");
        assertThat(DpdkTestSupport.ovsObjects(br)).isEmpty();
    }
}
