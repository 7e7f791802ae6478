package io.nfvlab.operator.bridge;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.ovsdpdk.OvsDpdkBridges;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.operator.RealDpdkNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole DpdkBridge path for real: operator and agent against the in-process API server, the agent's real
 * OvsDpdkBridges on this machine's OVS-DPDK, and a testpmd TrafficTest through the bridge.
 */
class DpdkBridgeAcceptanceIT {
    private static final String NODE = "nvdk-node";
    private static final String BRIDGE = "nvdkacc0";
    private RealDpdkNode node;
    private KubernetesClient admin;

    @BeforeEach
    void start() {
        node = RealDpdkNode.start(NODE);
        admin = node.admin();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        RealDpdkNode.removeBridge(BRIDGE);
    }

    private DpdkBridge bridge() {
        return admin.resources(DpdkBridge.class).withName("acc").get();
    }

    @Test
    void bridgeBecomesReadyCarriesTestpmdTrafficBothWaysAndLeavesNothingWhenDeleted() throws Exception {
        DpdkBridge b = new DpdkBridge();
        b.getMetadata().setName("acc");
        b.setSpec(DpdkBridgeSpec.builder().bridgeName(BRIDGE)
                .port(VhostUserPort.builder().name(BRIDGE + "a").build())
                .port(VhostUserPort.builder().name(BRIDGE + "b").build())
                .flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS)
                        .pairs(List.of(new FlowSpec.PortPair(BRIDGE + "a", BRIDGE + "b"))).build())
                .build());
        admin.resource(b).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> bridge().getStatus() != null
                && Conditions.isTrue(bridge().getStatus().getConditions(), Conditions.READY));
        DpdkBridge ready = bridge();
        assertThat(ready.getStatus().getNodesReady()).isEqualTo(1);
        assertThat(ready.getStatus().getPortsReady()).isEqualTo(2);
        assertThat(ready.getStatus().getNodes()).singleElement().satisfies(n -> {
            assertThat(n.getNode()).isEqualTo(NODE);
            assertThat(n.getPorts()).extracting(NodeBridgeStatus.PortStatus::getSocketPath)
                    .containsExactly("/var/run/nfvlab/dpdk/" + BRIDGE + "/" + BRIDGE + "a.sock",
                            "/var/run/nfvlab/dpdk/" + BRIDGE + "/" + BRIDGE + "b.sock");
        });

        TrafficTest test = new TrafficTest();
        test.getMetadata().setName("pmd");
        test.getMetadata().setNamespace("default");
        test.setSpec(TrafficTestSpec.builder().type(TrafficType.TESTPMD).durationSeconds(4).packetSize(64)
                .testpmd(TestpmdSpec.builder().bridgeRef("acc").ports(List.of(BRIDGE + "a", BRIDGE + "b")).mode("flowgen").build())
                .build());
        admin.resource(test).create();
        // while testpmd runs, the agent's status shows the links up
        Set<String> states = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            DpdkBridge now = bridge();
            now.getStatus().getNodes().forEach(n -> n.getPorts().forEach(p -> states.add(p.getName() + "=" + p.getState())));
            TrafficTest t = admin.resources(TrafficTest.class).inNamespace("default").withName("pmd").get();
            return t.getStatus() != null && (t.getStatus().getPhase() == TrafficTestStatus.Phase.SUCCEEDED
                    || t.getStatus().getPhase() == TrafficTestStatus.Phase.FAILED);
        });
        TrafficTest done = admin.resources(TrafficTest.class).inNamespace("default").withName("pmd").get();
        assertThat(done.getStatus().getPhase()).as(done.getStatus().getMessage()).isEqualTo(TrafficTestStatus.Phase.SUCCEEDED);
        assertThat(done.getStatus().getResults()).hasSize(2);
        for (PairResult pair : done.getStatus().getResults()) {
            System.out.printf("TrafficTest testpmd %s -> %s: tx %.3f Mpps, rx %.3f Mpps, loss %.3f%%%n", pair.getSource(),
                    pair.getDestination(), pair.getTxMpps(), pair.getRxMpps(), pair.getLossPercent());
            assertThat(pair.getRxMpps()).as(pair.getSource() + " -> " + pair.getDestination()).isGreaterThan(0.01);
        }
        System.out.println("summary: " + done.getStatus().getSummary());
        assertThat(states).contains(BRIDGE + "a=up", BRIDGE + "b=up");

        admin.resources(TrafficTest.class).inNamespace("default").withName("pmd").delete();
        admin.resources(DpdkBridge.class).withName("acc").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> bridge() == null
                && admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_KIND_LABEL, "DpdkBridge").list().getItems().isEmpty());
        var br = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "br-exists", BRIDGE), Duration.ofSeconds(10));
        assertThat(br.exitCode()).as("bridge removed").isEqualTo(2);
        var ports = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name", "find", "Interface",
                "external_ids:nfvlab-bridge=" + BRIDGE), Duration.ofSeconds(10));
        assertThat(ports.stdout().strip()).isEmpty();
        assertThat(Path.of("/var/run/nfvlab/dpdk/" + BRIDGE)).doesNotExist();
        try (Stream<Path> huge = Files.list(Path.of("/dev/hugepages"))) {
            assertThat(huge.map(Path::toString).filter(f -> f.contains("nfvtp"))).isEmpty();
        }
    }
}
