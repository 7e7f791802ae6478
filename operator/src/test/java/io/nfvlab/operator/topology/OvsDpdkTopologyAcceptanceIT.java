package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.ovsdpdk.OvsDpdkBridges;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A VirtualTopology on a DpdkBridge for real: operator and agent against the in-process API server, the agent's real
 * dataplane and OvsDpdkBridges on this machine's OVS-DPDK, namespace hosts pinging through the DPDK bridge, a testpmd
 * TrafficTest through two vhostUser hosts, and each deletion leaving exactly what belongs to the other resource.
 */
class OvsDpdkTopologyAcceptanceIT {
    private static final String NODE = "nvdksw-node";
    private static final String NS = "default";
    private static final String TOPOLOGY = "dpdksw-acc";
    private static final String BRIDGE = "nvdkswacc";
    private static final Path SOCKETS = Path.of("/var/run/nfvlab/dpdk/" + BRIDGE);
    private static final String TOKEN = KernelNames.token("VirtualTopology", NS, TOPOLOGY);
    private RealDpdkNode node;
    private KubernetesClient admin;

    @BeforeEach
    void start() {
        node = RealDpdkNode.start(NODE);
        admin = node.admin();
    }

    @AfterEach
    void stop() throws Exception {
        if (node == null) {
            return;
        }
        node.close();
        // a failed run stops before the agent's teardown: remove what it would have removed, then say what was left
        List<String> left = leftovers();
        for (String line : CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().split("\n")) {
            if (line.startsWith(Nfvlab.NETNS_PREFIX + TOKEN + "-")) {
                CommandRunner.run(List.of("ip", "netns", "del", line.split(" ")[0]), Duration.ofSeconds(10));
            }
        }
        for (String line : CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout().split("\n")) {
            String[] words = line.split(":? +");
            if (words.length > 1 && words[1].startsWith("nv" + TOKEN)) {
                CommandRunner.run(List.of("ip", "link", "del", words[1].split("@")[0]), Duration.ofSeconds(10));
            }
        }
        RealDpdkNode.removeBridge(BRIDGE);
        assertThat(left).as("left behind by the topology").isEmpty();
    }

    @Test
    void namespaceHostsPingThroughTheDpdkBridgeVhostUserHostsCarryTestpmdAndDeletionsLeaveTheOtherSide() throws Exception {
        DpdkBridge bridge = new DpdkBridge();
        bridge.getMetadata().setName("swacc");
        bridge.setSpec(DpdkBridgeSpec.builder().bridgeName(BRIDGE).port(VhostUserPort.builder().name(BRIDGE + "a").build()).build());
        admin.resource(bridge).create();
        admin.resource(topology()).create();

        VirtualTopology ready = awaitTopology(t -> t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY));
        assertThat(ready.getStatus().getHosts()).isEqualTo("4/4");
        assertThat(ready.getStatus().getLinks()).isEqualTo("4/4");
        VirtualTopologyStatus.HostStatus h1 = host(ready, "h1");
        VirtualTopologyStatus.HostStatus vnf1 = host(ready, "vnf1");
        assertThat(vnf1.getNetns()).isNull();
        assertThat(vnf1.getVhostUser()).singleElement().satisfies(e -> {
            assertThat(e.getBridge()).isEqualTo(BRIDGE);
            assertThat(Path.of(e.getSocketPath()).getParent()).isEqualTo(SOCKETS);
        });
        List<String> topologyPorts = ready.getStatus().getHostAddresses().stream().filter(h -> h.getVhostUser() != null)
                .map(h -> h.getVhostUser().get(0).getPort()).toList();
        assertThat(portsOf(BRIDGE)).hasSize(1 + 2 + 2).contains(BRIDGE + "a").containsAll(topologyPorts);
        assertThat(ping(h1.getNetns(), "10.0.0.2")).as("h1 pings h2 through " + BRIDGE).isTrue();

        TrafficTestStatus pingall = run("dpdksw-pingall", TrafficTestSpec.builder().type(TrafficType.PINGALL)
                .topologyRef(ObjectRef.builder().name(TOPOLOGY).build()).build());
        assertThat(pingall.getPhase()).as(pingall.getMessage()).isEqualTo(TrafficTestStatus.Phase.SUCCEEDED);
        assertThat(pingall.getSummary()).contains("0% dropped (2/2 received)");

        TrafficTestStatus pmd = run("dpdksw-testpmd", TrafficTestSpec.builder().type(TrafficType.TESTPMD).durationSeconds(3)
                .topologyRef(ObjectRef.builder().name(TOPOLOGY).build())
                .testpmd(TestpmdSpec.builder().hosts(List.of("vnf1", "vnf2")).build()).build());
        assertThat(pmd.getPhase()).as(pmd.getMessage()).isEqualTo(TrafficTestStatus.Phase.SUCCEEDED);
        assertThat(pmd.getResults()).extracting(PairResult::getSource).containsExactlyInAnyOrder("vnf1", "vnf2");
        for (PairResult pair : pmd.getResults()) {
            System.out.printf("TrafficTest testpmd %s -> %s through %s: tx %.3f Mpps, rx %.3f Mpps%n", pair.getSource(),
                    pair.getDestination(), BRIDGE, pair.getTxMpps(), pair.getRxMpps());
            assertThat(pair.getReceived()).as(pair.getSource() + " -> " + pair.getDestination()).isPositive();
        }

        // the topology goes: the DpdkBridge keeps its bridge and its own port, and nothing of the topology remains
        admin.resources(TrafficTest.class).inNamespace(NS).delete();
        admin.resources(VirtualTopology.class).inNamespace(NS).withName(TOPOLOGY).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> awaitable(TOPOLOGY) == null
                && admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, TOPOLOGY).list().getItems().isEmpty());
        assertThat(leftovers()).isEmpty();
        assertThat(portsOf(BRIDGE)).containsExactly(BRIDGE + "a");
        try (Stream<Path> files = Files.list(SOCKETS)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("sockets of the topology's ports")
                    .noneMatch(f -> topologyPorts.stream().anyMatch(p -> f.startsWith(p)));
        }
        assertThat(qdiscsMentioning("nv" + TOKEN)).isEmpty();
        DpdkBridge still = admin.resources(DpdkBridge.class).withName("swacc").get();
        assertThat(Conditions.isTrue(still.getStatus().getConditions(), Conditions.READY)).isTrue();

        // the DpdkBridge goes: nothing at all remains
        admin.resources(DpdkBridge.class).withName("swacc").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.resources(DpdkBridge.class).withName("swacc").get() == null
                && admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, "swacc").list().getItems().isEmpty());
        assertThat(CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "br-exists", BRIDGE), Duration.ofSeconds(10)).exitCode())
                .as("bridge removed").isEqualTo(2);
        assertThat(SOCKETS).doesNotExist();
        try (Stream<Path> huge = Files.list(Path.of("/dev/hugepages"))) {
            assertThat(huge.map(Path::toString).filter(f -> f.contains("nfvtp"))).isEmpty();
        }
    }

    private static VirtualTopology topology() {
        VirtualTopology t = new VirtualTopology();
        t.getMetadata().setName(TOPOLOGY);
        t.getMetadata().setNamespace(NS);
        t.setSpec(VirtualTopologySpec.builder().switchKind(SwitchKind.OVS_DPDK).bridgeRef("swacc")
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("h2").build())
                .host(HostSpec.builder().name("vnf1").vhostUser(true).build())
                .host(HostSpec.builder().name("vnf2").vhostUser(true).build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("h2").b("s1").build())
                .link(LinkSpec.builder().a("vnf1").b("s1").build())
                .link(LinkSpec.builder().a("vnf2").b("s1").build())
                .build());
        return t;
    }

    private TrafficTestStatus run(String name, TrafficTestSpec spec) {
        TrafficTest test = new TrafficTest();
        test.getMetadata().setName(name);
        test.getMetadata().setNamespace(NS);
        test.setSpec(spec);
        admin.resource(test).create();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            TrafficTest t = admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get();
            return t.getStatus() != null && (t.getStatus().getPhase() == TrafficTestStatus.Phase.SUCCEEDED
                    || t.getStatus().getPhase() == TrafficTestStatus.Phase.FAILED);
        });
        return admin.resources(TrafficTest.class).inNamespace(NS).withName(name).get().getStatus();
    }

    private VirtualTopology awaitable(String name) {
        return admin.resources(VirtualTopology.class).inNamespace(NS).withName(name).get();
    }

    private VirtualTopology awaitTopology(java.util.function.Predicate<VirtualTopology> condition) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                VirtualTopology t = awaitable(TOPOLOGY);
                return t != null && condition.test(t);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("topology did not get there; it is now " + awaitable(TOPOLOGY), e);
        }
        return awaitable(TOPOLOGY);
    }

    private static VirtualTopologyStatus.HostStatus host(VirtualTopology t, String name) {
        return t.getStatus().getHostAddresses().stream().filter(h -> h.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> portsOf(String bridge) {
        return CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "list-ports", bridge), Duration.ofSeconds(10))
                .orThrow().stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static boolean ping(String netns, String address) {
        return CommandRunner.run(List.of("ip", "netns", "exec", netns, "ping", "-c", "1", "-W", "2", address), Duration.ofSeconds(10)).ok();
    }

    /** The topology's namespaces, root devices and OVS ports that still exist, one line each. */
    private static List<String> leftovers() {
        List<String> out = new java.util.ArrayList<>();
        CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith(Nfvlab.NETNS_PREFIX + TOKEN + "-")).forEach(l -> out.add("netns " + l));
        CommandRunner.run(List.of("ip", "-o", "link", "show"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.contains(" nv" + TOKEN) || l.contains("nfvlab:" + TOKEN + ":")).forEach(l -> out.add("link " + l));
        String ports = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name", "find", "Port",
                "external_ids:" + Nfvlab.OVS_OWNER_KEY + "=\"" + TOKEN + "\""), Duration.ofSeconds(10)).stdout().strip();
        if (!ports.isEmpty()) {
            out.add("ovs ports " + ports);
        }
        return out;
    }

    private static List<String> qdiscsMentioning(String device) {
        return CommandRunner.run(List.of("tc", "qdisc", "show"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.contains(device)).toList();
    }
}
