package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.KernelDataplane;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.nfvlab.agent.kernel.linux.KernelFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A teardown is reported done once the topology's names are free and nothing in user space holds its namespaces; the
 * kernel then destroys them by itself. Pinned here on the real kernel with what opens sockets inside a switch
 * namespace (a delay line's packet sockets, the agent's rtnetlink reads) and with traffic through it: the switch
 * namespace is released while the agent keeps running, and a holder makes the teardown report itself unfinished.
 */
class TeardownReleaseIT {
    private NodeDataplane dataplane;
    private NetworkNodeState state;
    private String node;

    @BeforeEach
    void setUp() {
        assumeRoot();
        node = unique("it-release");
        dataplane = LinuxKernel.dataplane().open(node, null);
        state = OneNodePlans.state(unique("release"), node, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear,4").build()).build());
        // a delay line: its packet sockets are opened inside the switch namespace
        state.getSpec().getLinks().get(0).setParams(LinkParams.builder().delay("1ms").build());
    }

    @AfterEach
    void tearDown() {
        if (dataplane != null) {
            dataplane.teardown(state);
            assertThat(leftovers(token())).isEmpty();
            dataplane.close();
        }
    }

    private String token() {
        return state.getSpec().getOwner().getToken();
    }

    private void buildAndPing() {
        SyncReport built = dataplane.sync(state);
        assertThat(built.errors()).isEmpty();
        // a second sync reads the switch namespace again (rtnetlink sockets opened inside it)
        assertThat(dataplane.sync(state).errors()).isEmpty();
        String h1 = state.getSpec().getHosts().get(0).getNetns();
        String h4 = state.getSpec().getHosts().get(3).getInterfaces().get(0).getAddress().split("/")[0];
        await().atMost(Duration.ofSeconds(10)).until(() -> ping(h1, h4));
    }

    @Test
    void theSwitchNamespaceIsReleasedByTheKernelWhileTheAgentRuns() {
        buildAndPing();
        String marker = KernelNames.switchMarker(token(), 'a');
        assertThat(Files.exists(Path.of("/sys/class/net", marker))).isTrue();

        long t0 = System.nanoTime();
        SyncReport down = dataplane.teardown(state);
        double reported = (System.nanoTime() - t0) / 1e9;
        assertThat(down.errors()).isEmpty();
        // the names are free at once
        assertThat(AgentNamespaces.of(token())).isEmpty();
        // and the kernel finishes while this agent is still up: nothing of it holds the namespace
        await().atMost(KERNEL_RELEASE).pollInterval(Duration.ofMillis(20))
                .until(() -> !Files.exists(Path.of("/sys/class/net", marker)));
        double released = (System.nanoTime() - t0) / 1e9;
        System.out.printf("linear,4 with a delay line: teardown reported in %.3f s, kernel released the switch namespace at %.3f s%n",
                reported, released);
        KernelDataplane kernel = (KernelDataplane) dataplane;
        await().atMost(Duration.ofSeconds(5)).until(() -> kernel.releases().pending().isEmpty());
        assertThat(kernel.releases().overdue()).isEmpty();
    }

    @Test
    void aSocketLeftInsideAHostNamespaceMakesTheTeardownUnfinishedUntilItCloses() throws Exception {
        buildAndPing();
        String h2 = state.getSpec().getHosts().get(1).getNetns();
        SyncReport held;
        try (Rtnetlink socket = Rtnetlink.open(h2)) {
            held = dataplane.teardown(state);
        }
        assertThat(held.errors()).extracting(ItemError::getItem).containsExactly("namespaces");
        assertThat(held.errors().get(0).getMessage()).contains("socket fd").contains(h2);
        // names are free anyway; the retry finds nothing holding them any more and is done
        assertThat(AgentNamespaces.of(token())).isEmpty();
        assertThat(dataplane.teardown(state).errors()).isEmpty();
    }

    /**
     * OVS bridges are done when their OVSDB rows are gone; ovs-vswitchd removes their devices after, one port at a time,
     * and the agent follows that until it is over. A new build of the same owner waits for it.
     */
    @Test
    void ovsBridgesAreDoneWhenGoneFromOvsdbAndTheirDevicesGoAfter() {
        assumeOvs();
        state = OneNodePlans.state(unique("release-ovs"), node, VirtualTopologySpec.builder().switchKind(SwitchKind.OVS)
                .topology(BuiltinTopology.builder().type("linear,4").build()).build());
        assertThat(dataplane.sync(state).errors()).isEmpty();
        String bridge = state.getSpec().getSwitches().get(0).getDevice();
        assertThat(Files.exists(Path.of("/sys/class/net", bridge))).isTrue();

        long t0 = System.nanoTime();
        assertThat(dataplane.teardown(state).errors()).isEmpty();
        double reported = (System.nanoTime() - t0) / 1e9;
        CommandRunner.Result rows = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "--bare", "--columns=name", "find",
                "Bridge", "external_ids:" + Nfvlab.OVS_OWNER_KEY + "=\"" + token() + "\""), Duration.ofSeconds(10));
        assertThat(rows.ok()).isTrue();
        assertThat(rows.stdout()).isBlank();
        // the build of the same owner again waits until ovs-vswitchd has removed the old devices, then succeeds
        assertThat(dataplane.sync(state).errors()).isEmpty();
        double rebuilt = (System.nanoTime() - t0) / 1e9;
        KernelDataplane kernel = (KernelDataplane) dataplane;
        assertThat(kernel.releases().pending()).isEmpty();
        assertThat(dataplane.teardown(state).errors()).isEmpty();
        await().atMost(KERNEL_RELEASE).pollInterval(Duration.ofMillis(20))
                .until(() -> !Files.exists(Path.of("/sys/class/net", bridge)));
        double released = (System.nanoTime() - t0) / 1e9;
        System.out.printf("linear,4 with OVS: teardown reported in %.3f s, rebuilt at %.3f s, second teardown's devices gone at %.3f s%n",
                reported, rebuilt, released);
        assertThat(kernel.releases().overdue()).isEmpty();
    }

    /** The named namespaces of a token, as {@code ip netns} would list them. */
    private static final class AgentNamespaces {
        static java.util.List<String> of(String token) {
            try (var s = Files.list(Path.of("/run/netns"))) {
                return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("nfv-" + token + "-")).toList();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
