package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.KernelDataplane;
import io.nfvlab.agent.kernel.KernelOps;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.nfvlab.agent.kernel.linux.KernelFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node of an ordinary cluster: the real kernel, but no Open vSwitch (the agent's OVSDB client points at a socket
 * nobody serves, as on a node where openvswitch-switch was never installed). Linux bridges are built as anywhere
 * else; an ovs switch is one item error and the report says OVS is missing; teardown leaves nothing.
 */
class OvsMissingLinuxIT {
    private static final String NODE = "it-noovs";
    private KernelDataplane dataplane;
    private final List<NetworkNodeState> built = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeRoot();
        Path nowhere = Files.createTempDirectory("nfvlab-no-ovs-").resolve("db.sock");
        KernelOps base = LinuxKernel.ops(null);
        dataplane = new KernelDataplane(NODE, new KernelOps(base.netns(), base.links(), base.bridges(), base.shaping(),
                new LinuxOvsOps(new OvsdbClient(nowhere, Duration.ofSeconds(1))), base.relays()), true);
    }

    @AfterEach
    void tearDown() {
        if (dataplane == null) {
            return;
        }
        for (NetworkNodeState s : built) {
            dataplane.teardown(s);
            assertThat(leftovers(s.getSpec().getOwner().getToken())).isEmpty();
        }
        dataplane.close();
    }

    @Test
    void linuxBridgesWorkAsTheyAre() {
        NetworkNodeState state = build(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear,2").build()).build());
        SyncReport report = dataplane.sync(state);
        assertThat(report.errors()).isEmpty();
        assertThat(report.ovsMissing()).isFalse();
        String h2 = state.getSpec().getHosts().get(1).getInterfaces().get(0).getAddress().split("/")[0];
        assertThat(ping(state.getSpec().getHosts().get(0).getNetns(), h2)).isTrue();
    }

    @Test
    void anOvsSwitchIsOneItemErrorAndTheReportSaysOvsIsMissing() {
        NetworkNodeState state = build(VirtualTopologySpec.builder()
                .hosts(List.of(HostSpec.builder().name("h1").build(), HostSpec.builder().name("h2").build()))
                .switches(List.of(SwitchSpec.builder().name("s1").kind(SwitchKind.LINUX_BRIDGE).build(),
                        SwitchSpec.builder().name("s2").kind(SwitchKind.OVS).build()))
                .links(List.of(LinkSpec.builder().a("h1").b("s1").build(), LinkSpec.builder().a("h2").b("s2").build(),
                        LinkSpec.builder().a("s1").b("s2").build()))
                .build());
        SyncReport report = dataplane.sync(state);
        assertThat(report.ovsMissing()).isTrue();
        assertThat(report.errors()).extracting(e -> e.getItem()).contains("switches/s2").doesNotContain("switches/s1");
        assertThat(report.hostsReady()).isEqualTo(2);
        assertThat(report.switchesReady()).isEqualTo(1);
    }

    private NetworkNodeState build(VirtualTopologySpec spec) {
        NetworkNodeState s = OneNodePlans.state(unique("noovs"), NODE, spec);
        built.add(s);
        return s;
    }
}
