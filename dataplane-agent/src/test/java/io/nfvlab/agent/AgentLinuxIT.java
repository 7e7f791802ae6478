package io.nfvlab.agent;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.testing.NodeStateAwaits;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.nfvlab.agent.kernel.linux.KernelFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The agent on the real kernel against the embedded API server: drift repair, crash recovery, orphan sweep. */
class AgentLinuxIT {
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();

    @BeforeEach
    void start() {
        assumeRoot();
        server = EmbeddedApiServer.start();
        admin = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        if (server == null) {
            return;
        }
        for (int i = closeLast.size() - 1; i >= 0; i--) {
            closeLast.get(i).close();
        }
        server.close();
        for (String token : tokens) {
            assertThat(leftovers(token)).as("left behind by token %s", token).isEmpty();
        }
    }

    private Agent agent(String node) {
        return agent(AgentConfig.builder().nodeName(node).embedded(true));
    }

    private Agent agent(AgentConfig.AgentConfigBuilder config) {
        KubernetesClient c = server.newClient();
        closeLast.add(c);
        Agent a = Agent.start(c, config.build());
        closeLast.add(a);
        return a;
    }

    private NetworkNodeState create(String name, String node, String topo) {
        NetworkNodeState s = OneNodePlans.state(name, node, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type(topo).build()).build());
        tokens.add(s.getSpec().getOwner().getToken());
        return admin.resource(s).create();
    }

    private void awaitSynced(NetworkNodeState s, Duration within) {
        NodeStateAwaits.synced(admin, s, within);
    }

    private void deleteAndAwaitGone(NetworkNodeState s) {
        NodeStateAwaits.deleteAndAwaitGone(admin, s);
    }

    @Test
    void vethDeletedByHandIsRepairedWithinThirtySeconds() throws Exception {
        String node = unique("it-drift");
        // the drift check runs every resync: 2 s instead of the default 10 s, so that the repair is not waited for
        agent(AgentConfig.builder().nodeName(node).embedded(true).resyncInterval(Duration.ofSeconds(2)));
        NetworkNodeState s = create(unique("drift"), node, "linear,2");
        awaitSynced(s, Duration.ofSeconds(30));
        // the switch end of h1's link, in the topology's switch namespace
        String switchEnd = s.getSpec().getLinks().get(0).getB().getDevice();
        String switchNs = KernelNames.switchNetns(s.getSpec().getOwner().getToken(), node);
        String h1 = s.getSpec().getHosts().get(0).getNetns();
        String h2addr = s.getSpec().getHosts().get(1).getInterfaces().get(0).getAddress().split("/")[0];
        assertThat(ping(h1, h2addr) || ping(h1, h2addr)).isTrue();

        assertThat(CommandRunner.run(List.of("ip", "-n", switchNs, "link", "del", switchEnd), Duration.ofSeconds(10)).ok()).isTrue();
        assertThat(ping(h1, h2addr)).isFalse();
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> ping(h1, h2addr));
        System.out.printf("veth deleted by hand: ping back after %.1f s%n", (System.nanoTime() - t0) / 1e9);

        deleteAndAwaitGone(s);
    }

    @Test
    void killDashNineWhileBuildingThenRestartConverges() throws Exception {
        String node = unique("it-crash");
        String name = unique("crash");
        String token = OneNodePlans.state(name, node, new VirtualTopologySpec()).getSpec().getOwner().getToken();
        Process child = childAgent(node);
        try {
            // one switch and 100 hosts: a build long enough to be killed in, and a switch namespace the kernel destroys
            // quickly afterwards (linear,100's 100 bridges cost one rcu_barrier() each: 30 s and more on a loaded
            // 2-core CI machine, which the leak check then waited for)
            NetworkNodeState s = create(name, node, "tree,depth=1,fanout=100");
            // kill the agent as soon as it has started building
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> countNetns(token) > 0);
            child.destroyForcibly().waitFor();
            System.out.printf("killed the agent with %d of 100 namespaces and %d marked root devices present%n",
                    countNetns(token), countRootDevices(token));

            agent(node);
            awaitSynced(s, Duration.ofSeconds(60));
            NetworkNodeState synced = admin.resource(s).get();
            assertThat(synced.getStatus().getErrors()).isNull();
            assertThat(synced.getStatus().getHostsReady()).isEqualTo(100);
            assertThat(synced.getStatus().getLinksReady()).isEqualTo(100);
            // 100 hosts and the switch namespace
            assertThat(countNetns(token)).isEqualTo(100 + 1);
            // one bridge + 100 host links' switch ends + the marker's end, nothing more
            String switchNs = KernelNames.switchNetns(token, node);
            assertThat(countDevices(switchNs, token)).isEqualTo(1 + 100 + 1);
            // in the root only the marker whose going shows the switch namespace destroyed
            assertThat(countDevices(null, token)).isEqualTo(1);
            String h1 = s.getSpec().getHosts().get(0).getNetns();
            String h100 = s.getSpec().getHosts().get(99).getInterfaces().get(0).getAddress().split("/")[0];
            await().atMost(Duration.ofSeconds(10)).until(() -> ping(h1, h100));

            deleteAndAwaitGone(s);
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void orphansOfThisNodeAreSweptAtStartAndOthersAreLeftAlone() {
        String node = unique("it-sweep");
        String otherNode = unique("it-other");
        NetworkNodeState orphan = OneNodePlans.state(unique("orphan"), node, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear,2").build()).build());
        NetworkNodeState foreign = OneNodePlans.state(unique("foreign"), otherNode, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear,2").build()).build());
        tokens.add(orphan.getSpec().getOwner().getToken());
        tokens.add(foreign.getSpec().getOwner().getToken());
        try (NodeDataplane mine = LinuxKernel.dataplane().open(node, null); NodeDataplane theirs = LinuxKernel.dataplane().open(otherNode, null)) {
            try {
                assertThat(mine.sync(orphan).errors()).isEmpty();
                assertThat(theirs.sync(foreign).errors()).isEmpty();

                Agent a = agent(node);
                assertThat(a.isStarted()).isTrue();
                assertThat(leftovers(orphan.getSpec().getOwner().getToken())).isEmpty();
                assertThat(countNetns(foreign.getSpec().getOwner().getToken())).as("2 hosts and the switch namespace").isEqualTo(3);
            } finally {
                mine.teardown(orphan);
                theirs.teardown(foreign);
            }
        }
    }

    private Process childAgent(String node) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the embedded server wants its token: the child reads it from a kubeconfig only this user can read
        Path kubeconfig = Files.createTempFile("agent-linux-it", ".kubeconfig",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        kubeconfig.toFile().deleteOnExit();
        Files.writeString(kubeconfig, server.kubeconfig("default"));
        List<String> argv = new ArrayList<>(Arrays.asList(java, "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName(), "--kubeconfig", kubeconfig.toString(), "--embedded",
                "--node", node, "--metrics-port", "0", "--no-traffic", "--no-dpdk",
                // this agent is killed with -9: it must neither take over the node's CNI socket nor leave one behind
                "--cni-socket", ""));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static long countNetns(String token) {
        return CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith("nfv-" + token + "-")).count();
    }

    static long countRootDevices(String token) {
        return countDevices(null, token);
    }

    /** Devices named nv&lt;token&gt;… in {@code netns} (null: the root). */
    static long countDevices(String netns, String token) {
        List<String> argv = netns == null ? List.of("ip", "-o", "link", "show") : List.of("ip", "-n", netns, "-o", "link", "show");
        return CommandRunner.run(argv, Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.contains(": nv" + token)).count();
    }
}
