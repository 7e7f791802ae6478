package io.nfvlab.api.expansion;

import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.LinkParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Expansion of Mininet's built-in topologies (mininet/topo.py, mininet/topolib.py of Mininet 2.3): counts, names,
 * port numbers, addresses and MACs as `mn --topo … --mac` gives them. Each count test states Mininet's formula.
 */
class TopologyExpanderTest {

    private static void assertCounts(TopologyGraph g, long hosts, long switches, long links) {
        assertThat(g.hosts()).hasSize((int) hosts);
        assertThat(g.switches()).hasSize((int) switches);
        assertThat(g.links()).hasSize((int) links);
    }

    @Test
    void minimalIsTwoHostsOnOneSwitch() {
        // MinimalTopo: h1, h2, s1; links h1-s1, h2-s1
        TopologyGraph g = TopologyExpander.expand("minimal");
        assertCounts(g, 2, 1, 2);
        assertThat(g.links()).extracting(TopologyGraph.Link::id).containsExactly("h1-eth0~s1-eth1", "h2-eth0~s1-eth2");
    }

    @ParameterizedTest(name = "single,{0}")
    @CsvSource({"1", "3", "64"})
    void singleHasKHostsOneSwitchKLinks(int k) {
        // SingleSwitchTopo(k): hosts = k, switches = 1, links = k
        TopologyGraph g = TopologyExpander.expand("single," + k);
        assertCounts(g, k, 1, k);
        for (int h = 1; h <= k; h++) {
            // host h on switch port h, in order
            assertThat(g.links().get(h - 1).id()).isEqualTo("h" + h + "-eth0~s1-eth" + h);
        }
    }

    @ParameterizedTest(name = "reversed,{0}")
    @CsvSource({"1", "4", "10"})
    void reversedPutsHostHOnPortKMinusHPlusOne(int k) {
        // SingleSwitchReversedTopo(k): hosts = k, switches = 1, links = k; addLink(host, switch, port1=0, port2=k-h+1)
        TopologyGraph g = TopologyExpander.expand("reversed," + k);
        assertCounts(g, k, 1, k);
        for (int h = 1; h <= k; h++) {
            TopologyGraph.Link l = g.links().get(h - 1);
            assertThat(l.a().interfaceName()).isEqualTo("h" + h + "-eth0");
            assertThat(l.b().port()).isEqualTo(k - h + 1);
            assertThat(l.b().interfaceName()).isEqualTo("s1-eth" + (k - h + 1));
        }
    }

    @ParameterizedTest(name = "linear,{0},{1}")
    @CsvSource({"1,1", "4,1", "10,1", "3,2", "5,4"})
    void linearHasKTimesNHostsKSwitchesAndAChain(int k, int n) {
        // LinearTopo(k, n): hosts = k·n, switches = k, links = k·n + (k − 1)
        TopologyGraph g = TopologyExpander.expand("linear," + k + "," + n);
        assertCounts(g, (long) k * n, k, (long) k * n + (k - 1));
        assertThat(g.links()).filteredOn(TopologyGraph.Link::isSwitchToSwitch).hasSize(k - 1);
        if (n > 1) {
            // Mininet names hosts h<j>s<i> when n > 1
            assertThat(g.host("h" + n + "s" + k)).isPresent();
        } else {
            assertThat(g.host("h" + k)).isPresent();
        }
    }

    @Test
    void linearTwoHasMininetsPortsAndInterfaceNames() {
        // mn --topo linear,2 → net: h1 h1-eth0:s1-eth1; h2 h2-eth0:s2-eth1; s2-eth2:s1-eth2
        TopologyGraph g = TopologyExpander.expand("linear,2");
        assertThat(g.links()).extracting(TopologyGraph.Link::id)
                .containsExactly("h1-eth0~s1-eth1", "h2-eth0~s2-eth1", "s2-eth2~s1-eth2");
        assertThat(g.links().get(2).isSwitchToSwitch()).isTrue();
    }

    @Test
    void linearWithSeveralHostsPerSwitchNamesThemLikeMininet() {
        TopologyGraph g = TopologyExpander.expand("linear,2,2");
        assertThat(g.links()).extracting(TopologyGraph.Link::id).containsExactly(
                "h1s1-eth0~s1-eth1", "h2s1-eth0~s1-eth2", "h1s2-eth0~s2-eth1", "h2s2-eth0~s2-eth2", "s2-eth3~s1-eth3");
        // natural order of names decides the numbers: h1s1, h1s2, h2s1, h2s2
        assertThat(g.hosts()).extracting(TopologyGraph.Host::name).containsExactly("h1s1", "h1s2", "h2s1", "h2s2");
        assertThat(g.host("h2s1").orElseThrow().ip()).isEqualTo("10.0.0.3/8");
    }

    @ParameterizedTest(name = "tree,depth={0},fanout={1}")
    @CsvSource({"1,2", "2,3", "3,2", "2,8", "4,3"})
    void treeHasFanoutToTheDepthHosts(int depth, int fanout) {
        // TreeTopo(depth, fanout): hosts = fanout^depth, switches = Σ fanout^i for 0 ≤ i < depth,
        // links = hosts + switches − 1 (a tree)
        long hosts = (long) Math.pow(fanout, depth);
        long switches = 0;
        for (int i = 0; i < depth; i++) {
            switches += (long) Math.pow(fanout, i);
        }
        TopologyGraph g = TopologyExpander.expand("tree,depth=" + depth + ",fanout=" + fanout);
        assertCounts(g, hosts, switches, hosts + switches - 1);
        assertThat(BuiltinSpec.parse("tree," + depth + "," + fanout, "t").counts())
                .isEqualTo(new BuiltinSpec.Counts(hosts, switches, hosts + switches - 1));
    }

    @Test
    void treeNumbersDepthFirstLikeMininet() {
        // addTree recurses before linking: s1 → s2 → h1, h2; then s3 → h3, h4
        TopologyGraph g = TopologyExpander.expand("tree,2,2");
        assertThat(g.links()).extracting(TopologyGraph.Link::id).containsExactly(
                "s2-eth1~h1-eth0", "s2-eth2~h2-eth0", "s1-eth1~s2-eth3",
                "s3-eth1~h3-eth0", "s3-eth2~h4-eth0", "s1-eth2~s3-eth3");
    }

    @ParameterizedTest(name = "torus,{0},{1},{2}")
    @CsvSource({"3,3,1", "4,3,1", "3,5,2", "4,4,3"})
    void torusHasXYNHostsXYSwitchesAndWrapAroundLinks(int x, int y, int n) {
        // TorusTopo(x, y, n): hosts = x·y·n, switches = x·y, links = x·y·n + 2·x·y (each switch links right and down)
        TopologyGraph g = TopologyExpander.expand("torus," + x + "," + y + "," + n);
        assertCounts(g, (long) x * y * n, (long) x * y, (long) x * y * n + 2L * x * y);
        assertThat(g.switches()).allMatch(TopologyGraph.Switch::stp);
        assertThat(g.switchNamed("s" + x + "x" + y)).isPresent();
        assertThat(g.host(n == 1 ? "h1x1" : "h1x1x1")).isPresent();
    }

    @Test
    void torusSmallerThanThreeByThreeIsRefusedLikeMininet() {
        assertThatThrownBy(() -> TopologyExpander.expand("torus,2,3"))
                .isInstanceOf(TopologyException.class).hasMessageContaining("at least 3");
    }

    @Test
    void naturalOrderComparesDigitRunsAsNumbers() {
        assertThat(List.of("h10", "h2", "h1s10", "h1s9", "h007", "h0", "s1", "h2x10", "h2x9", "h99999999999999999999").stream()
                .sorted(TopologyExpander.NaturalOrder.INSTANCE).toList())
                .containsExactly("h0", "h1s9", "h1s10", "h2", "h2x9", "h2x10", "h007", "h10", "h99999999999999999999", "s1");
        // leading zeros do not count; equal numbers leave the decision to what follows them
        assertThat(TopologyExpander.NaturalOrder.INSTANCE.compare("h010", "h10")).isZero();
        assertThat(TopologyExpander.NaturalOrder.INSTANCE.compare("h010a", "h10b")).isNegative();
        assertThat(TopologyExpander.NaturalOrder.INSTANCE.compare("h100000000000000000000", "h99999999999999999999")).isPositive();
    }

    @Test
    void addressesFollowNaturalOrderOfHostNames() {
        // Mininet sorts hosts naturally (h2 before h10) and gives the N-th one ipBase + N
        TopologyGraph g = TopologyExpander.expand("single,12");
        assertThat(g.hosts()).extracting(TopologyGraph.Host::name).startsWith("h1", "h2", "h3").endsWith("h11", "h12");
        assertThat(g.host("h1").orElseThrow().ip()).isEqualTo("10.0.0.1/8");
        assertThat(g.host("h10").orElseThrow().ip()).isEqualTo("10.0.0.10/8");
        assertThat(g.host("h12").orElseThrow().address()).isEqualTo("10.0.0.12");
    }

    @Test
    void ipBaseAndAutoMacWorkLikeMnIpbaseAndMac() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("single").k(300).build())
                .ipBase("192.168.0.0/16").autoMac(true).build();
        TopologyGraph g = TopologyExpander.expand(spec);
        assertThat(g.host("h1").orElseThrow().ip()).isEqualTo("192.168.0.1/16");
        assertThat(g.host("h256").orElseThrow().ip()).isEqualTo("192.168.1.0/16");
        assertThat(g.host("h1").orElseThrow().mac()).isEqualTo("00:00:00:00:00:01");
        assertThat(g.host("h300").orElseThrow().mac()).isEqualTo("00:00:00:00:01:2c");
        // without autoMac the kernel picks random MACs
        assertThat(TopologyExpander.expand("single,2").host("h1").orElseThrow().mac()).isNull();
    }

    @Test
    void structuredAndStringFormsExpandAlike() {
        TopologyGraph fromString = TopologyExpander.expand("tree,depth=2,fanout=3");
        TopologyGraph positional = TopologyExpander.expand("tree,2,3");
        TopologyGraph structured = TopologyExpander.expand(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("tree").depth(2).fanout(3).build()).build());
        assertThat(fromString).isEqualTo(positional).isEqualTo(structured);
    }

    @Test
    void stringFormErrorsNameTheProblem() {
        assertThatThrownBy(() -> BuiltinSpec.parse("ring,4", "spec.topology.type"))
                .hasMessage("spec.topology.type: unknown built-in topology \"ring\"; known: linear, minimal, reversed, single, torus, tree");
        assertThatThrownBy(() -> BuiltinSpec.parse("tree,depth=two", "f"))
                .hasMessage("f: \"tree,depth=two\": depth must be a whole number, got \"two\"");
        assertThatThrownBy(() -> BuiltinSpec.parse("linear,4,1,1", "f")).hasMessageContaining("takes at most 2 positional parameters");
        assertThatThrownBy(() -> BuiltinSpec.parse("single,k=2,k=3", "f")).hasMessageContaining("k is given twice");
        assertThatThrownBy(() -> BuiltinSpec.parse("minimal,2", "f")).hasMessageContaining("(no parameters)");
        assertThatThrownBy(() -> BuiltinSpec.parse("linear,0", "f")).hasMessageContaining("k must be at least 1, got 0");
        assertThatThrownBy(() -> BuiltinSpec.parse("tree,fanout=2,depth=1,width=2", "f")).hasMessageContaining("tree has no parameter width");
        assertThat(BuiltinSpec.parse(" linear , 4 ", "f")).isEqualTo(new BuiltinSpec("linear", java.util.Map.of("k", 4)));
    }

    @Test
    void explicitTopologyKeepsLinkOrderAndParameters() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("h1").ip("10.0.0.10/24").build())
                .host(HostSpec.builder().name("h2").build())
                .switchSpec(SwitchSpec.builder().name("s1").kind(SwitchKind.OVS).build())
                .link(LinkSpec.builder().a("h1").b("s1").bandwidthMbps(10.0).build())
                .link(LinkSpec.builder().a("s1").b("h2").delay("5ms").build())
                .ipBase("10.0.0.0/24")
                .linkDefaults(LinkParams.builder().lossPercent(1.0).delay("1ms").build())
                .linkOverride(LinkSpec.builder().a("h2").b("s1").state(LinkState.DOWN).build())
                .build();
        TopologyGraph g = TopologyExpander.expand(spec);
        assertThat(g.links()).extracting(TopologyGraph.Link::id).containsExactly("h1-eth0~s1-eth1", "s1-eth2~h2-eth0");
        assertThat(g.host("h1").orElseThrow().ip()).isEqualTo("10.0.0.10/24");
        assertThat(g.host("h2").orElseThrow().ip()).isEqualTo("10.0.0.2/24");
        assertThat(g.switchNamed("s1").orElseThrow().kind()).isEqualTo(SwitchKind.OVS);
        LinkParams first = g.links().get(0).params();
        assertThat(List.of(first.getBandwidthMbps(), first.getLossPercent())).containsExactly(10.0, 1.0);
        assertThat(first.getDelay()).isEqualTo("1ms");
        LinkParams second = g.links().get(1).params();
        assertThat(second.getDelay()).isEqualTo("5ms");
        assertThat(second.isDown()).isTrue();
        assertThat(first.isDown()).isFalse();
    }

    @Test
    void builtinOvsDpdkSwitchesGetTheSpecLevelBridge() {
        TopologyGraph g = TopologyExpander.expand(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear").k(3).build())
                .switchKind(SwitchKind.OVS_DPDK).bridgeRef("dpdk0").build());
        assertThat(g.switches()).allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo(SwitchKind.OVS_DPDK);
            assertThat(s.bridgeRef()).isEqualTo("dpdk0");
        });
    }
}
