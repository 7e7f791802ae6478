package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.traffic.testpmd.TestpmdRunner;

import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.plan.NodePlanner;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.FlowSpec;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.PairResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nfvlab.agent.kernel.linux.KernelFixture.inNs;
import static io.nfvlab.agent.kernel.linux.KernelFixture.leftovers;
import static io.nfvlab.agent.kernel.linux.KernelFixture.ping;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ovs-dpdk switches for real: a topology on the bridge of a DpdkBridge in this machine's ovs-vswitchd (DPDK build),
 * namespace hosts pinging and talking TCP through it, vhost-user hosts carrying testpmd traffic, and each side's
 * teardown leaving the other side's objects alone.
 */
class OvsDpdkSwitchIT {
    private static final String PREFIX = "nvdksw";
    private final OvsDpdkBridges bridges = new OvsDpdkBridges();
    private final List<NetworkNodeState> topologies = new ArrayList<>();
    private NodeDataplane dataplane;
    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        DpdkTestSupport.assumeOvsDpdk();
        dataplane = LinuxKernel.dataplane().open(DpdkTestSupport.NODE, null);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        if (dataplane == null) {
            return;
        }
        List<String> left = new ArrayList<>();
        for (NetworkNodeState t : topologies) {
            dataplane.teardown(t);
            left.addAll(leftovers(t.getSpec().getOwner().getToken()));
        }
        dataplane.close();
        left.addAll(DpdkTestSupport.ovsObjects(PREFIX));
        DpdkTestSupport.forceRemove(PREFIX);
        assertThat(left).as("left behind").isEmpty();
        assertThat(DpdkTestSupport.hugepageFiles(PREFIX)).isEmpty();
    }

    private NetworkNodeState dpdkBridge(String token, String bridge, Path sockets, VhostUserPort... ports) {
        DpdkBridgeSpec spec = DpdkBridgeSpec.builder().bridgeName(bridge).ports(List.of(ports)).build();
        NetworkNodeState state = DpdkTestSupport.state(token, "sw-" + token, sockets, spec);
        NodeBridgeStatus status = bridges.sync(state).get(0);
        assertThat(status.getBridgeUp()).as(status.getMessage()).isTrue();
        return state;
    }

    private NetworkNodeState topology(String name, String dpdkBridgeName, String bridge, Path sockets, HostSpec... hosts) {
        VirtualTopologySpec.VirtualTopologySpecBuilder spec = VirtualTopologySpec.builder()
                .switchKind(SwitchKind.OVS_DPDK).bridgeRef(dpdkBridgeName)
                .switchSpec(SwitchSpec.builder().name("s1").build());
        for (HostSpec h : hosts) {
            spec.host(h).link(LinkSpec.builder().a(h.getName()).b("s1").build());
        }
        NetworkNodeState state = OneNodePlans.state(name + "-" + PREFIX + System.nanoTime() % 100000, DpdkTestSupport.NODE,
                spec.build(), Map.of(dpdkBridgeName, new NodePlanner.DpdkBridgeTarget(bridge, sockets.toString())));
        topologies.add(state);
        return state;
    }

    @Test
    void namespaceHostsTalkThroughTheDpdkBridgeAndEachSideRemovesOnlyItsOwnPorts() throws Exception {
        String bridge = PREFIX + "0";
        Path sockets = tmp.resolve("sockets0");
        NetworkNodeState dpdk = dpdkBridge("dksw0", bridge, sockets,
                VhostUserPort.builder().name(bridge + "a").build(), VhostUserPort.builder().name(bridge + "b").build());
        NetworkNodeState topo = topology("ping", dpdk.getSpec().getDpdkBridges().get(0).getName(), bridge, sockets,
                HostSpec.builder().name("h1").build(), HostSpec.builder().name("h2").build());

        SyncReport first = dataplane.sync(topo);
        assertThat(first.errors()).isEmpty();
        assertThat(dataplane.sync(topo).actions()).as("second sync").isZero();
        List<String> topologyPorts = topo.getSpec().getLinks().stream().map(l -> l.getB().getDevice()).toList();
        assertThat(portsOf(bridge)).containsExactlyInAnyOrder(bridge + "a", bridge + "b", topologyPorts.get(0), topologyPorts.get(1));
        String h1 = topo.getSpec().getHosts().get(0).getNetns();
        String h2 = topo.getSpec().getHosts().get(1).getNetns();
        assertThat(pingWithRetries(h1, "10.0.0.2")).as("h1 pings h2 through " + bridge).isTrue();
        assertThat(tcpMbps(h2, h1, "10.0.0.2")).as("TCP h1→h2 through the DPDK datapath, Mbit/s").isGreaterThan(10);

        // the DpdkBridge drops one of its own ports: the topology's ports stay, and so does connectivity
        DpdkBridgeSpec fewer = dpdk.getSpec().getDpdkBridges().get(0).getSpec().toBuilder().clearPorts()
                .port(VhostUserPort.builder().name(bridge + "a").build()).build();
        dpdk.getSpec().getDpdkBridges().get(0).setSpec(fewer);
        assertThat(bridges.sync(dpdk).get(0).getBridgeUp()).isTrue();
        assertThat(portsOf(bridge)).containsExactlyInAnyOrder(bridge + "a", topologyPorts.get(0), topologyPorts.get(1));
        assertThat(ping(h1, "10.0.0.2")).isTrue();

        // the topology goes: the DpdkBridge and its own port stay
        dataplane.teardown(topo);
        assertThat(leftovers(topo.getSpec().getOwner().getToken())).isEmpty();
        assertThat(portsOf(bridge)).containsExactly(bridge + "a");
        assertThat(bridges.sync(dpdk).get(0).getBridgeUp()).isTrue();
        assertThat(bridges.lastActions()).as("the DpdkBridge had nothing to repair").isZero();

        bridges.teardown(dpdk);
        assertThat(DpdkTestSupport.ovsObjects(bridge)).isEmpty();
        assertThat(sockets).doesNotExist();
    }

    @Test
    void aMissingDpdkBridgeIsReportedAndTheTopologyAttachesOnceItExists() throws Exception {
        String bridge = PREFIX + "1";
        Path sockets = tmp.resolve("sockets1");
        NetworkNodeState topo = topology("late", "sw-dksw1", bridge, sockets,
                HostSpec.builder().name("h1").build(), HostSpec.builder().name("h2").build());

        SyncReport before = dataplane.sync(topo);
        assertThat(before.errors()).anySatisfy(e -> {
            assertThat(e.getItem()).isEqualTo("switches/s1");
            assertThat(e.getMessage()).contains("DpdkBridge sw-dksw1").contains(bridge);
        });
        assertThat(DpdkTestSupport.ovsObjects(bridge)).as("the topology never creates the DpdkBridge's bridge").isEmpty();

        NetworkNodeState dpdk = dpdkBridge("dksw1", bridge, sockets);
        SyncReport after = dataplane.sync(topo);
        assertThat(after.errors()).isEmpty();
        assertThat(pingWithRetries(topo.getSpec().getHosts().get(0).getNetns(), "10.0.0.2")).isTrue();
        dataplane.teardown(topo);
        bridges.teardown(dpdk);
    }

    /**
     * Pins what README says of port-pairs: the DpdkBridge's flow table holds only its pair rules, so frames from a
     * topology's ports match nothing and are dropped (the operator refuses such topologies for that reason).
     */
    @Test
    void aDpdkBridgeWithPortPairFlowsDropsTheTopologysTrafficAndKeepsItsFlows() throws Exception {
        String bridge = PREFIX + "3";
        Path sockets = tmp.resolve("sockets3");
        DpdkBridgeSpec spec = DpdkBridgeSpec.builder().bridgeName(bridge)
                .port(VhostUserPort.builder().name(bridge + "a").build()).port(VhostUserPort.builder().name(bridge + "b").build())
                .flows(FlowSpec.builder().mode(FlowSpec.Mode.PORT_PAIRS)
                        .pairs(List.of(new FlowSpec.PortPair(bridge + "a", bridge + "b"))).build())
                .build();
        NetworkNodeState dpdk = DpdkTestSupport.state("dksw3", "sw-dksw3", sockets, spec);
        assertThat(bridges.sync(dpdk).get(0).getBridgeUp()).isTrue();
        List<String> flows = Ovs.dumpFlows(bridge);
        NetworkNodeState topo = topology("pairs", "sw-dksw3", bridge, sockets,
                HostSpec.builder().name("h1").build(), HostSpec.builder().name("h2").build());

        assertThat(dataplane.sync(topo).errors()).isEmpty();

        assertThat(ping(topo.getSpec().getHosts().get(0).getNetns(), "10.0.0.2")).as("h1 pings h2").isFalse();
        assertThat(Ovs.dumpFlows(bridge)).as("the topology side never touches flows").isEqualTo(flows);
        bridges.sync(dpdk);
        assertThat(bridges.lastActions()).isZero();
        dataplane.teardown(topo);
        bridges.teardown(dpdk);
    }

    @Test
    void vhostUserHostsAreClientPortsWhoseSocketsCarryTestpmdTraffic() throws Exception {
        String bridge = PREFIX + "2";
        Path sockets = tmp.resolve("sockets2");
        NetworkNodeState dpdk = dpdkBridge("dksw2", bridge, sockets);
        NetworkNodeState topo = topology("vhost", "sw-dksw2", bridge, sockets,
                HostSpec.builder().name("vnf1").vhostUser(true).build(), HostSpec.builder().name("vnf2").vhostUser(true).build());
        assertThat(sockets).as("the DpdkBridge made its socket directory though it has no client port of its own").isDirectory();

        SyncReport first = dataplane.sync(topo);
        assertThat(first.errors()).isEmpty();
        List<VhostSockets.Attachment> attachments = new ArrayList<>();
        for (PlannedLink l : topo.getSpec().getLinks()) {
            Endpoint vnf = l.vhostUserEnd();
            assertThat(Path.of(vnf.getVhostUserSocket()).getParent()).isEqualTo(sockets);
            assertThat(ovsGet("Interface", vnf.getDevice(), "type")).isEqualTo("dpdkvhostuserclient");
            assertThat(ovsGet("Interface", vnf.getDevice(), "options:vhost-server-path")).isEqualTo(vnf.getVhostUserSocket());
            assertThat(ovsGet("Port", vnf.getDevice(), "external_ids:nfvlab-owner")).isEqualTo(topo.getSpec().getOwner().getToken());
            attachments.add(new VhostSockets.Attachment(vnf.getDevice(), Path.of(vnf.getVhostUserSocket()), true));
        }
        assertThat(portsOf(bridge)).hasSize(2);
        assertThat(dataplane.sync(topo).actions()).as("second sync").isZero();

        // testpmd serves both sockets; the DpdkBridge's default NORMAL flow switches between them
        TestpmdRunner.Report report = TestpmdRunner.run(TestpmdRunner.Request.of(attachments, "flowgen", 64,
                Duration.ofSeconds(3), PREFIX + "-tp"));
        assertThat(report.failed()).as(report.message()).isFalse();
        for (PairResult pair : report.pairs()) {
            System.out.printf("testpmd through vhostUser hosts %s -> %s: tx %.3f Mpps, rx %.3f Mpps%n", pair.getSource(),
                    pair.getDestination(), pair.getTxMpps(), pair.getRxMpps());
            assertThat(pair.getReceived()).as(pair.getSource() + " -> " + pair.getDestination()).isPositive();
        }
        assertThat(dataplane.sync(topo).errors()).as("ports still fine after testpmd left").isEmpty();

        dataplane.teardown(topo);
        VhostUserHostSockets.removeStale(topo.getSpec());
        assertThat(leftovers(topo.getSpec().getOwner().getToken())).isEmpty();
        for (VhostSockets.Attachment a : attachments) {
            assertThat(a.socket()).doesNotExist();
        }
        assertThat(DpdkTestSupport.ovsObjects(bridge)).containsExactly(bridge);
        bridges.teardown(dpdk);
        assertThat(sockets).doesNotExist();
    }

    private static List<String> portsOf(String bridge) {
        return CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "list-ports", bridge), Duration.ofSeconds(10))
                .orThrow().stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** A column's value; ovs-vsctl prints strings that could read as something else (digits, paths) quoted. */
    private static String ovsGet(String table, String record, String column) {
        String value = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "get", table, record, column), Duration.ofSeconds(10))
                .orThrow().stdout().strip();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    private static boolean pingWithRetries(String ns, String address) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            if (ping(ns, address)) {
                return true;
            }
            Thread.sleep(300);
        }
        return false;
    }

    /** iperf3 TCP from {@code clientNs} to a one-off server in {@code serverNs} for 2 s; Mbit/s received. */
    private static double tcpMbps(String serverNs, String clientNs, String serverAddress) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", serverNs, "iperf3", "-s", "-1", "-p", "5201")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(300);
            CommandRunner.Result r = inNs(clientNs, Duration.ofSeconds(30), "iperf3", "-c", serverAddress, "-p", "5201",
                    "-t", "2", "-J");
            assertThat(r.ok()).as("iperf3: %s", r.describe()).isTrue();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
            return json.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6;
        } finally {
            server.destroyForcibly().waitFor();
        }
    }
}
