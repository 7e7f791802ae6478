package io.nfvlab.api.expansion;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyExpanderSmokeTest {
    @Test
    void linearTopologyOfFourHostsHasThreeSwitchLinks() {
        var graph = TopologyExpander.expand("linear,4");
        assertThat(graph.switches()).hasSize(4);
        assertThat(graph.hosts()).hasSize(4);
        assertThat(graph.links()).filteredOn(TopologyGraph.Link::isSwitchToSwitch).hasSize(3);
        assertThat(graph.links().get(0).id()).isEqualTo("h1-eth0~s1-eth1");
        assertThat(graph.links().get(2).id()).isEqualTo("s2-eth2~s1-eth2");
        assertThat(graph.host("h4").orElseThrow().ip()).isEqualTo("10.0.0.4/8");
    }
}
