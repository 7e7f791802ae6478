package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedSwitch;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MininetTextTest {
    private final TopologyView view = TopologyView.of(linear2(), List.of(nodeState()));

    @Test
    void netShowsEachNodesInterfacesAndPeersAsMininet() {
        assertThat(MininetText.net(view)).isEqualTo("""
                h1 h1-eth0:s1-eth1
                h2 h2-eth0:s2-eth1
                s1 lo:  s1-eth1:h1-eth0 s1-eth2:s2-eth2
                s2 lo:  s2-eth1:h2-eth0 s2-eth2:s1-eth2
                """);
    }

    @Test
    void intfsListsLoopbackOnSwitches() {
        assertThat(MininetText.intfs(view)).isEqualTo("h1: h1-eth0\nh2: h2-eth0\ns1: lo,s1-eth1,s1-eth2\ns2: lo,s2-eth1,s2-eth2\n");
    }

    @Test
    void linksShowTheOverriddenStateAndShaping() {
        assertThat(MininetText.links(view)).contains("s2-eth2<->s1-eth2   down")
                .containsPattern("h1-eth0<->s1-eth1 +up +10.00Mbit 5ms delay");
    }

    @Test
    void dumpAndNodesNameTheNamespaceAndNode() {
        assertThat(MininetText.dump(view)).contains("<Host h1: h1-eth0:10.0.0.1 netns=nfv-abcde-h1 node=vm>")
                .contains("<LinuxBridge s1: lo:127.0.0.1,s1-eth1:None,s1-eth2:None device=nvabcdeb0 node=vm>");
        assertThat(MininetText.nodes(view)).contains("h2", "10.0.0.2/8", "nfv-abcde-h2", "linux-bridge");
        assertThat(Render.json(MininetText.nodesData(view))).contains("\"netns\" : \"nfv-abcde-h1\"");
    }

    private static VirtualTopology linear2() {
        VirtualTopology t = new VirtualTopology();
        t.setMetadata(new ObjectMetaBuilder().withName("lin").withNamespace("default").build());
        t.setSpec(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear,2").build())
                .linkOverride(LinkSpec.builder().a("s1").b("s2").state(LinkState.DOWN).build())
                .linkOverride(LinkSpec.builder().a("h1").b("s1").bandwidthMbps(10.0).delay("5ms").build())
                .build());
        // where the hosts are: the status the operator writes (the view reads hosts there, switches in node states)
        t.setStatus(VirtualTopologyStatus.builder().hostAddresses(List.of(
                VirtualTopologyStatus.HostStatus.builder().name("h1").node("vm").netns("nfv-abcde-h1").ip("10.0.0.1/8").address("10.0.0.1").build(),
                VirtualTopologyStatus.HostStatus.builder().name("h2").node("vm").netns("nfv-abcde-h2").ip("10.0.0.2/8").address("10.0.0.2").build()))
                .build());
        return t;
    }

    private static NetworkNodeState nodeState() {
        NetworkNodeState s = new NetworkNodeState();
        s.setMetadata(new ObjectMetaBuilder().withName("x").build());
        s.setSpec(NetworkNodeStateSpec.builder().nodeName("vm")
                .host(PlannedHost.builder().name("h1").netns("nfv-abcde-h1").build())
                .host(PlannedHost.builder().name("h2").netns("nfv-abcde-h2").build())
                .switches(List.of(PlannedSwitch.builder().name("s1").device("nvabcdeb0").build(),
                PlannedSwitch.builder().name("s2").device("nvabcdeb1").build()))
                .build());
        return s;
    }
}
