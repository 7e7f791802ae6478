package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.nfvlab.agent.kernel.linux.KernelFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Linux-bridge topology's switch namespace has IPv6 off from before its first port (no link-local address, route or
 * MLD report per port); the hosts keep theirs as they were.
 */
class SwitchNamespaceIpv6IT {
    private NodeDataplane dataplane;
    private NetworkNodeState state;
    private String node;

    @BeforeEach
    void setUp() {
        assumeRoot();
        node = unique("it-sw6");
        dataplane = LinuxKernel.dataplane().open(node, null);
        state = OneNodePlans.state(unique("sw6"), node, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("tree,depth=2,fanout=2").build()).build());
    }

    @AfterEach
    void tearDown() {
        if (dataplane != null) {
            dataplane.teardown(state);
            assertThat(leftovers(state.getSpec().getOwner().getToken())).isEmpty();
            dataplane.close();
        }
    }

    @Test
    void noDeviceOfTheSwitchNamespaceHasIpv6AndTheHostsAreUntouched() {
        assertThat(dataplane.sync(state).errors()).isEmpty();
        String sw = KernelNames.switchNetns(state.getSpec().getOwner().getToken(), node);
        List<String> devices = inNs(sw, Duration.ofSeconds(10), "ip", "-o", "link", "show").orThrow().stdout().lines().toList();
        // lo, 3 bridges, 4 ports towards the hosts, 2 × 2 ends of the links between switches, the marker
        assertThat(devices).hasSize(13);
        assertThat(inNs(sw, Duration.ofSeconds(10), "ip", "-6", "-o", "addr", "show").orThrow().stdout()).as("IPv6 addresses in the switch namespace").isBlank();
        assertThat(inNs(sw, Duration.ofSeconds(10), "ip", "-6", "route", "show", "table", "all").orThrow().stdout()).as("IPv6 routes in the switch namespace").isBlank();
        assertThat(sysctl(sw, "net.ipv6.conf.default.disable_ipv6")).isEqualTo("1");
        String h1 = state.getSpec().getHosts().get(0).getNetns();
        assertThat(sysctl(h1, "net.ipv6.conf.default.disable_ipv6")).as("a host's setting").isEqualTo("0");
    }

    private static String sysctl(String netns, String key) {
        return CommandRunner.run(List.of("nsenter", "--net=/run/netns/" + netns, "--", "sysctl", "-n", key), Duration.ofSeconds(10))
                .orThrow().stdout().strip();
    }
}
