package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.Tool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToolTest {
    @Test
    void aMissingToolNamesItsDebianPackage() {
        assertThat(Tool.PING.missingMessage()).isEqualTo("ping is not installed on this node (install the Debian package iputils-ping)");
        assertThat(Tool.IPERF3.missingMessage()).isEqualTo("iperf3 is not installed on this node (install the Debian package iperf3)");
    }

    @Test
    void iprouteIsFound() {
        // iproute2 is on every node the agent runs on (it builds the topologies with it)
        assertThat(Programs.installed(Tool.IP)).isTrue();
        assertThat(Programs.firstMissing(java.util.List.of(Tool.IP))).isEmpty();
    }
}
