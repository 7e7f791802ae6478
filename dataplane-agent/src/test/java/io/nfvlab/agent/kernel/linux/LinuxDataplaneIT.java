package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.nfvlab.agent.kernel.linux.KernelFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** linear,4 on the real kernel with Linux bridges and with OVS (netdev): connectivity, TCP, idempotence, teardown. */
class LinuxDataplaneIT {
    private static final String NODE = "it-node";
    private NodeDataplane dataplane;
    private NetworkNodeState state;

    @BeforeEach
    void setUp() {
        assumeRoot();
        dataplane = LinuxKernel.dataplane().open(NODE, null);
    }

    @AfterEach
    void tearDown() {
        if (dataplane == null) {
            return;
        }
        if (state != null) {
            dataplane.teardown(state);
            assertThat(leftovers(state.getSpec().getOwner().getToken())).isEmpty();
        }
        dataplane.close();
    }

    @Test
    void linearFourWithLinuxBridges() throws Exception {
        linearFour(SwitchKind.LINUX_BRIDGE);
    }

    @Test
    void linearFourWithOvs() throws Exception {
        assumeOvs();
        linearFour(SwitchKind.OVS);
    }

    @Test
    void staticArpEntriesDerivedFromTheOneTableOfHosts() throws Exception {
        state = OneNodePlans.state(unique("arp3"), NODE, VirtualTopologySpec.builder().staticArp(true)
                .topology(BuiltinTopology.builder().type("linear,3").build()).build());
        assertThat(state.getSpec().staticArpOrEmpty()).hasSize(3);
        assertThat(dataplane.sync(state).errors()).isEmpty();
        SyncReport again = dataplane.sync(state);
        assertThat(again.actions()).as("second sync actions %s", again.actionsByType()).isZero();

        PlannedHost h1 = state.getSpec().getHosts().get(0);
        CommandRunner.Result neigh = inNs(h1.getNetns(), Duration.ofSeconds(10), "ip", "neigh", "show", "nud", "permanent");
        assertThat(neigh.ok()).as(neigh.describe()).isTrue();
        for (var entry : state.getSpec().staticArpOrEmpty()) {
            if (entry.getHost().equals(h1.getName())) {
                assertThat(neigh.stdout()).as("no entry for h1 itself").doesNotContain(entry.getAddress() + " ");
            } else {
                assertThat(neigh.stdout()).contains(entry.getAddress() + " dev h1-eth0 lladdr " + entry.getMac());
            }
        }
        String h3 = state.getSpec().staticArpOrEmpty().get(2).getAddress();
        assertThat(pingWithRetries(h1.getNetns(), h3)).isTrue();
    }

    /**
     * tree,depth=2,fanout=45 (2025 hosts, 2115 switch ports): its switch side spreads over two namespaces of whole
     * switches (SwitchNamespace), joined by the veth between the core and a leaf; h1's leaf is in the first, h2025's in
     * the second.
     */
    @Test
    void aSwitchSideSpreadOverTwoNamespacesCarriesTrafficAndResyncsToNothing() throws Exception {
        state = OneNodePlans.state(unique("wide"), NODE, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("tree,depth=2,fanout=45").build()).build());
        String token = state.getSpec().getOwner().getToken();
        SyncReport first = dataplane.sync(state);
        assertThat(first.errors()).isEmpty();
        assertThat(first.hostsReady()).isEqualTo(2025);
        String second = KernelNames.switchNetns(token, NODE, 1);
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", second))).isTrue();
        // in service when the sync returns: with a carrier (LOWER_UP) a veth switch end is operationally UP (on a busy
        // machine the kernel had brought them into service up to 16 s later, and a ping then was lost)
        for (String ns : List.of(KernelNames.switchNetns(token, NODE), second)) {
            assertThat(inNs(ns, Duration.ofSeconds(10), "ip", "-o", "link", "show", "type", "veth").stdout().lines()
                    .filter(l -> l.contains("LOWER_UP") && !l.contains(" state UP ")))
                    .as("veths of %s with a carrier but not yet in service", ns).isEmpty();
        }
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", KernelNames.switchNetns(token, NODE, 2)))).isFalse();

        assertThat(dataplane.sync(state).actions()).as("a second sync").isZero();

        List<PlannedHost> hosts = state.getSpec().getHosts();
        PlannedHost h1 = hosts.stream().filter(h -> h.getName().equals("h1")).findFirst().orElseThrow();
        PlannedHost last = hosts.stream().filter(h -> h.getName().equals("h2025")).findFirst().orElseThrow();
        String lastAddr = last.getInterfaces().get(0).getAddress().split("/")[0];
        assertThat(pingWithRetries(h1.getNetns(), lastAddr)).as("h1 pings h2025 across the two namespaces").isTrue();
    }

    /**
     * tree fanout 2 grown in place to fanout 3: switch ends are named by link number, so the grown plan names devices of
     * other links as its ends. Every host's interface must end up paired with its own link's switch end (a tree is one
     * broadcast domain: pings would not show a host wired to another host's port).
     */
    @Test
    void aTopologyGrownInPlacePairsEveryHostWithItsOwnSwitchPort() throws Exception {
        String name = unique("grow");
        state = OneNodePlans.state(name, NODE, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("tree,depth=2,fanout=2").build()).build());
        assertThat(dataplane.sync(state).errors()).isEmpty();
        state = OneNodePlans.state(name, NODE, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("tree,depth=2,fanout=3").build()).build());
        SyncReport grown = dataplane.sync(state);
        assertThat(grown.errors()).isEmpty();
        assertThat(grown.hostsReady()).isEqualTo(9);
        assertThat(dataplane.sync(state).actions()).as("a second sync").isZero();

        String switchNs = KernelNames.switchNetns(state.getSpec().getOwner().getToken(), NODE);
        for (var l : state.getSpec().getLinks()) {
            var host = l.getA().getNetns() != null ? l.getA() : l.getB();
            var port = host == l.getA() ? l.getB() : l.getA();
            if (host.getNetns() == null) {
                continue;   // a link between switches
            }
            int peerIndex = linkJson(host.getNetns(), host.getDevice()).path("link_index").asInt();
            assertThat(linkJson(switchNs, port.getDevice()).path("ifindex").asInt()).as("the peer of %s in %s", host.getDevice(), l.getId())
                    .isEqualTo(peerIndex);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode linkJson(String ns, String device) throws Exception {
        CommandRunner.Result r = CommandRunner.run(List.of("ip", "-n", ns, "-j", "link", "show", "dev", device), Duration.ofSeconds(10));
        assertThat(r.ok()).as(r.describe()).isTrue();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout()).get(0);
    }

    private void linearFour(SwitchKind kind) throws Exception {
        state = OneNodePlans.state(unique("lin4"), NODE, VirtualTopologySpec.builder().switchKind(kind)
                .topology(BuiltinTopology.builder().type("linear,4").build()).build());
        SyncReport first = dataplane.sync(state);
        assertThat(first.errors()).isEmpty();
        assertThat(first.hostsReady()).isEqualTo(4);
        assertThat(first.linksReady()).isEqualTo(7);

        SyncReport second = dataplane.sync(state);
        assertThat(second.actions()).as("second sync actions %s", second.actionsByType()).isZero();

        List<PlannedHost> hosts = state.getSpec().getHosts();
        for (PlannedHost from : hosts) {
            for (PlannedHost to : hosts) {
                if (from != to) {
                    String addr = to.getInterfaces().get(0).getAddress().split("/")[0];
                    assertThat(pingWithRetries(from.getNetns(), addr)).as("%s pings %s", from.getName(), to.getName()).isTrue();
                }
            }
        }
        double mbps = iperf(hosts.get(3).getNetns(), hosts.get(0).getNetns(),
                hosts.get(3).getInterfaces().get(0).getAddress().split("/")[0], 2);
        assertThat(mbps).as("iperf3 TCP h1→h4 Mbit/s").isGreaterThan(10);
    }

    static boolean pingWithRetries(String ns, String addr) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            if (ping(ns, addr)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Runs an iperf3 server in {@code serverNs} for one test and a TCP client in {@code clientNs}; returns Mbit/s. */
    static double iperf(String serverNs, String clientNs, String serverAddr, int seconds, String... extra) throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", serverNs, "iperf3", "-s", "-1", "-p", "5201")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(300);
            List<String> argv = new java.util.ArrayList<>(List.of("iperf3", "-c", serverAddr, "-p", "5201", "-t",
                    String.valueOf(seconds), "-J"));
            argv.addAll(List.of(extra));
            CommandRunner.Result r = inNs(clientNs, Duration.ofSeconds(seconds + 20), argv.toArray(String[]::new));
            assertThat(r.ok()).as("iperf3: %s", r.describe()).isTrue();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.stdout());
            return json.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6;
        } finally {
            server.destroyForcibly().waitFor();
        }
    }
}
