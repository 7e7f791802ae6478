package io.nfvlab.operator.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.operator.TwoNodeCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two nodes on one machine, for real: each "node" is a network namespace of this test, joined to the other by a veth
 * underlay with a private /30 that exists only inside those two namespaces. Two agents with the Linux dataplane build
 * their share of linear,4 (spread, linux-bridge) inside their node namespace; the three switch-to-switch links cross
 * the underlay as VXLAN tunnels. Every host pings every other, and iperf3 runs across a tunnel.
 */
class TwoNodesOnOneMachineIT {
    private static final String NS = "default";
    private static final String UNDERLAY_A = "10.213.77.1";
    private static final String UNDERLAY_B = "10.213.77.2";

    private final String tag = "n4" + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
    // TwoNodeCluster names its node namespaces after the tag
    private final String nodeA = tag + "-a";
    private final String nodeB = tag + "-b";
    private final String topology = "two-" + tag;
    private final String token = KernelNames.token("VirtualTopology", NS, topology);

    private TwoNodeCluster cluster;
    private KubernetesClient admin;

    @BeforeEach
    void start() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces, veths, bridges and VXLAN devices");
        assumeTrue(CommandRunner.run(List.of("iperf3", "--version"), Duration.ofSeconds(5)).ok(), "needs iperf3 (package iperf3)");
        cluster = TwoNodeCluster.start(tag, UNDERLAY_A, UNDERLAY_B, false);
        admin = cluster.admin();
    }

    @AfterEach
    void stop() {
        if (cluster == null) {
            return;
        }
        try {
            if (admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get() != null) {
                admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).delete();
                await().atMost(Duration.ofSeconds(60)).until(() -> admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
            }
        } finally {
            cluster.close();
        }
        List<String> left = CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith(tag) || l.startsWith(Nfvlab.NETNS_PREFIX + token + "-")).toList();
        assertThat(left).as("namespaces left behind").isEmpty();
        String rootLinks = CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout();
        assertThat(rootLinks).as("root-namespace links left behind").doesNotContain(tag).doesNotContain(KernelNames.ROOT_PREFIX + token);
    }

    @Test
    void linearFourSpreadOverTwoNodesPingsAllAndCarriesTcpAcrossTheTunnel() throws Exception {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(topology);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear").k(4).build())
                .switchKind(SwitchKind.LINUX_BRIDGE)
                .placement(PlacementSpec.builder().strategy(PlacementSpec.Strategy.SPREAD).build())
                .build());
        admin.resource(vt).create();

        await().atMost(Duration.ofSeconds(90)).until(() -> {
            VirtualTopology t = admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get();
            return t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY);
        });
        VirtualTopology ready = admin.resources(VirtualTopology.class).inNamespace(NS).withName(topology).get();
        assertThat(ready.getStatus().getNodes()).extracting(VirtualTopologyStatus.NodeSummary::getNode).containsExactly(nodeA, nodeB);
        List<PlannedTunnel> tunnels = admin.resources(NetworkNodeState.class).list().getItems().stream()
                .flatMap(s -> s.getSpec().tunnelsOrEmpty().stream()).toList();
        assertThat(tunnels).hasSize(6);
        // each node's switch namespace holds one VXLAN device per tunnel, with the planned VNI and peer; the device was
        // created in the node namespace, where its UDP socket stays on the underlay, and lives beside its bridge
        for (String[] node : new String[][]{{nodeA, UNDERLAY_B}, {nodeB, UNDERLAY_A}}) {
            String switchNs = KernelNames.switchNetns(token, node[0]);
            String vxlans = CommandRunner.run(List.of("ip", "-n", switchNs, "-d", "link", "show", "type", "vxlan"), Duration.ofSeconds(10))
                    .orThrow().stdout();
            assertThat(CommandRunner.run(List.of("ip", "-n", node[0], "-d", "link", "show", "type", "vxlan"), Duration.ofSeconds(10))
                    .orThrow().stdout()).as("no VXLAN device left in the node namespace").isBlank();
            for (PlannedTunnel t : tunnels) {
                assertThat(vxlans).contains("vxlan id " + t.getVni() + " remote " + node[1]);
            }
        }

        // pingall: 12 pings from each host's namespace to every other host
        List<VirtualTopologyStatus.HostStatus> hosts = ready.getStatus().getHostAddresses();
        assertThat(hosts).hasSize(4);
        List<String> lost = new ArrayList<>();
        int received = 0;
        for (VirtualTopologyStatus.HostStatus from : hosts) {
            for (VirtualTopologyStatus.HostStatus to : hosts) {
                if (from == to) {
                    continue;
                }
                String address = to.getIp().substring(0, to.getIp().indexOf('/'));
                var ping = CommandRunner.run(List.of("ip", "netns", "exec", from.getNetns(), "ping", "-c", "1", "-W", "3", address),
                        Duration.ofSeconds(10));
                if (ping.ok()) {
                    received++;
                } else {
                    lost.add(from.getName() + "->" + to.getName());
                }
            }
        }
        System.out.printf("pingall across two nodes: %d%% dropped (%d/12 received)%n", (12 - received) * 100 / 12, received);
        assertThat(lost).as("pings lost").isEmpty();

        // iperf3 from h1 (node a) to h2 (node b): every packet crosses a VXLAN tunnel at least once
        VirtualTopologyStatus.HostStatus h1 = hosts.stream().filter(h -> h.getName().equals("h1")).findFirst().orElseThrow();
        VirtualTopologyStatus.HostStatus h2 = hosts.stream().filter(h -> h.getName().equals("h2")).findFirst().orElseThrow();
        assertThat(h1.getNode()).isNotEqualTo(h2.getNode());
        // a thread of its own: the common pool has a single thread on two cores and may be busy
        CompletableFuture<CommandRunner.Result> serverRun = new CompletableFuture<>();
        Thread serverThread = new Thread(() -> serverRun.complete(CommandRunner.run(
                List.of("ip", "netns", "exec", h2.getNetns(), "iperf3", "-s", "-1", "-p", "5299"), Duration.ofSeconds(60))),
                "iperf3-server-" + tag);
        serverThread.start();
        String h2Address = h2.getIp().substring(0, h2.getIp().indexOf('/'));
        CommandRunner.Result client = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            client = CommandRunner.run(List.of("ip", "netns", "exec", h1.getNetns(), "iperf3", "-c", h2Address, "-p", "5299",
                    "-t", "3", "--connect-timeout", "3000", "-J"), Duration.ofSeconds(15));
            // iperf3 -J may exit 0 with {"error": "unable to connect …"} while the server is not listening yet
            if (client.ok() && !client.stdout().contains("\"error\"")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(client.ok()).as(client.describe()).isTrue();
        serverRun.get(60, TimeUnit.SECONDS);
        assertThat(client.stdout()).doesNotContain("\"error\"");
        JsonNode json = Serialization.jsonMapper().readTree(client.stdout());
        double bps = json.at("/end/sum_received/bits_per_second").asDouble();
        System.out.printf("iperf3 h1 (%s) -> h2 (%s) across VXLAN: %.2f Gbit/s%n", h1.getNode(), h2.getNode(), bps / 1e9);
        assertThat(bps).as("iperf3 said: %s; interfaces on the path: %s", client.stdout().length() > 3000
                ? client.stdout().substring(client.stdout().length() - 3000) : client.stdout(), pathMtus(h1, h2)).isGreaterThan(1e6);
    }

    private String pathMtus(VirtualTopologyStatus.HostStatus... hosts) {
        StringBuilder sb = new StringBuilder();
        for (VirtualTopologyStatus.HostStatus h : hosts) {
            sb.append(CommandRunner.run(List.of("ip", "-n", h.getNetns(), "-o", "link"), Duration.ofSeconds(5)).stdout());
        }
        for (String node : List.of(nodeA, nodeB)) {
            sb.append(CommandRunner.run(List.of("ip", "-n", node, "-o", "link"), Duration.ofSeconds(5)).stdout());
        }
        return sb.toString();
    }
}
