package io.nfvlab.operator.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus.Phase;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.operator.TwoNodeCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Traffic across two nodes on one machine: two node namespaces of this test joined by a veth underlay, two real agents
 * (Linux dataplane, ProcessTrafficJobs), linear,4 spread so that h1,h2 sit on one node and h3,h4 on the other. pingall
 * runs from both nodes; iperf h1 → h4 needs the server job the operator plans on h4's node.
 */
class TrafficAcrossNodesIT {
    private static final String NS = "default";
    private static final String UNDERLAY_A = "10.213.78.1";
    private static final String UNDERLAY_B = "10.213.78.2";
    private final String tag = "tq5x" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
    // TwoNodeCluster names its node namespaces after the tag
    private final String nodeA = tag + "-a";
    private final String nodeB = tag + "-b";
    private final String topology = tag + "-lin4";
    private TwoNodeCluster cluster;
    private KubernetesClient admin;

    @BeforeEach
    void start() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create namespaces, veths, bridges and VXLAN devices");
        cluster = TwoNodeCluster.start(tag, UNDERLAY_A, UNDERLAY_B, true);
        admin = cluster.admin();
    }

    @AfterEach
    void stop() {
        if (cluster == null) {
            return;
        }
        try {
            admin.resources(TrafficTest.class).inNamespace(NS).delete();
            admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).delete();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
        } finally {
            cluster.close();
        }
        String token = KernelNames.token("VirtualTopology", NS, topology);
        List<String> left = CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith(tag) || l.startsWith(Nfvlab.NETNS_PREFIX + token + "-")).toList();
        assertThat(left).as("namespaces left behind").isEmpty();
    }

    @Test
    void pingallRunsFromBothNodesAndIperfCrossesThemThroughThePlannedServer() {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(topology);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear,4").build())
                .placement(PlacementSpec.builder().strategy(PlacementSpec.Strategy.SPREAD).build()).build());
        admin.resource(vt).create();

        admin.resource(test("all", TrafficTestSpec.builder().type(TrafficType.PINGALL))).create();
        TrafficTest all = awaitDone("all");
        assertThat(all.getStatus().getSummary()).isEqualTo("Results: 0% dropped (12/12 received)");
        assertThat(admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, "all").list().getItems())
                .extracting(s -> s.getSpec().getNodeName()).containsExactlyInAnyOrder(nodeA, nodeB);

        admin.resource(test("cross", TrafficTestSpec.builder().type(TrafficType.IPERF).durationSeconds(2))).create();
        TrafficTest cross = awaitDone("cross");
        System.out.println("iperf h1 -> h4 across the VXLAN underlay: " + cross.getStatus().getSummary());
        assertThat(cross.getStatus().getPhase()).as(cross.getStatus().getMessage()).isEqualTo(Phase.SUCCEEDED);
        assertThat(cross.getStatus().getResults()).singleElement().satisfies(r -> {
            assertThat(r.getSource()).isEqualTo("h1");
            assertThat(r.getDestination()).isEqualTo("h4");
            assertThat(r.getBitsPerSecond()).isGreaterThan(1e6);
        });
        // after the run the server job is gone from h4's node, and with it the iperf3 server
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.resources(NetworkNodeState.class)
                .withLabel(Nfvlab.OWNER_NAME_LABEL, "cross").list().getItems().stream()
                .flatMap(s -> s.getSpec().trafficJobsOrEmpty().stream()).map(TrafficJob::getRole).allMatch(TrafficJob.Role.CLIENT::equals));
        String h4 = KernelNames.hostNetns(KernelNames.token("VirtualTopology", NS, topology), "h4");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                CommandRunner.run(List.of("ip", "netns", "pids", h4), Duration.ofSeconds(5)).stdout().isBlank());
    }

    private TrafficTest test(String name, TrafficTestSpec.TrafficTestSpecBuilder spec) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace(NS);
        t.setSpec(spec.topologyRef(ObjectRef.builder().name(topology).build()).timeoutSeconds(120).build());
        return t;
    }

    private TrafficTest awaitDone(String name) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            TrafficTest t = admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
            return t != null && t.getStatus() != null && (t.getStatus().getPhase() == Phase.SUCCEEDED || t.getStatus().getPhase() == Phase.FAILED);
        });
        return admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
    }
}
