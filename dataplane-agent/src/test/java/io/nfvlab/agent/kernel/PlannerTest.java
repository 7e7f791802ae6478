package io.nfvlab.agent.kernel;

import io.nfvlab.agent.kernel.fake.FakeKernel;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTest {
    private static final String NODE = "node-a";
    private final Planner planner = new Planner(NODE, true);

    private static NetworkNodeState state(String name, String topo, SwitchKind kind) {
        return OneNodePlans.state(name, NODE, VirtualTopologySpec.builder().switchKind(kind).autoMac(true)
                .topology(BuiltinTopology.builder().type(topo).build()).build());
    }

    private static Observed.State observe(FakeKernel k, String token) {
        Set<String> all = k.list();
        return new Observed.State(all, k.observe(all, true), k.observe(NODE), k.running());
    }

    @Test
    void linearFourOnAnEmptyNodeMatchesTheGoldenPlan() throws IOException {
        NetworkNodeState s = state("planner-lin4", "linear,4", SwitchKind.LINUX_BRIDGE);
        String token = s.getSpec().getOwner().getToken();
        Plan plan = planner.plan(token, s.getSpec(), observe(new FakeKernel(), token));
        assertThat(plan.errors()).isEmpty();
        String actual = plan.actions().stream().map(a -> a.toString().replace(token, "TOKEN")).collect(Collectors.joining("\n")) + "\n";
        assertThat(actual).isEqualTo(resource("planner/linear-4.plan.txt"));
    }

    @Test
    void linearFourCountsByKind() {
        NetworkNodeState s = state("planner-lin4", "linear,4", SwitchKind.LINUX_BRIDGE);
        String token = s.getSpec().getOwner().getToken();
        Map<String, Long> byType = planner.plan(token, s.getSpec(), observe(new FakeKernel(), token)).actions().stream()
                .collect(Collectors.groupingBy(Action::type, Collectors.counting()));
        // one namespace and one veth pair more than hosts and links: the switch namespace and its marker pair
        assertThat(byType).containsEntry("NetnsAdd", 5L).containsEntry("BridgeAdd", 4L).containsEntry("VethAdd", 8L)
                .containsEntry("AddrAdd", 4L).containsEntry("RouteDefault", 4L).doesNotContainKey("OffloadOff");
    }

    @Test
    void planningAgainAfterApplyingChangesNothing() {
        for (SwitchKind kind : List.of(SwitchKind.LINUX_BRIDGE, SwitchKind.OVS)) {
            FakeKernel k = new FakeKernel();
            KernelDataplane dp = new KernelDataplane(NODE, k.ops(), true);
            NetworkNodeState s = state("planner-again-" + kind.wireName(), "tree,depth=2,fanout=3", kind);
            assertThat(dp.sync(s).errors()).isEmpty();
            assertThat(dp.sync(s).actions()).as(kind.wireName()).isZero();
            dp.close();
        }
    }

    /** tree,depth=2,fanout=45: 2115 switch ports, more than one switch namespace takes (SwitchNamespace#PORTS_PER_NAMESPACE). */
    @Test
    void aSwitchSideOfMorePortsThanANamespaceTakesIsSpreadOverNamespacesOfWholeSwitches() {
        FakeKernel k = new FakeKernel();
        KernelDataplane dp = new KernelDataplane(NODE, k.ops(), true);
        NetworkNodeState s = state("planner-wide", "tree,depth=2,fanout=45", SwitchKind.LINUX_BRIDGE);
        String token = s.getSpec().getOwner().getToken();
        SyncReport first = dp.sync(s);
        assertThat(first.errors()).isEmpty();
        assertThat(first.hostsReady()).isEqualTo(2025);

        String sw0 = KernelNames.switchNetns(token, NODE);
        String sw1 = KernelNames.switchNetns(token, NODE, 1);
        assertThat(k.namespaces()).contains(sw0, sw1).doesNotContain(KernelNames.switchNetns(token, NODE, 2));
        assertThat(k.interfaces(sw1).get("lo").alias).as("marked like the first").isEqualTo(k.interfaces(sw0).get("lo").alias);
        int ports = portsBesideTheirBridges(k, sw0);
        assertThat(ports).isLessThanOrEqualTo(SwitchNamespace.PORTS_PER_NAMESPACE);
        assertThat(ports + portsBesideTheirBridges(k, sw1)).isEqualTo(2115);
        // the marker pair once, from the first
        assertThat(k.interfaces(sw1)).doesNotContainKey(KernelNames.switchMarker(token, 'b'));
        assertThat(k.interfaces(sw0)).containsKey(KernelNames.switchMarker(token, 'b'));

        assertThat(dp.sync(s).actions()).as("a second sync").isZero();
        assertThat(dp.teardown(s).errors()).isEmpty();
        assertThat(k.namespaces()).noneMatch(n -> n.contains(token));
        dp.close();
    }

    /** An agent that starts after one that died removes every switch namespace of an owner it does not know. */
    @Test
    void anOrphanSwitchSideOfSeveralNamespacesIsSweptWhole() {
        FakeKernel k = new FakeKernel();
        KernelDataplane died = new KernelDataplane(NODE, k.ops(), true);
        NetworkNodeState s = state("planner-orphan", "tree,depth=2,fanout=45", SwitchKind.LINUX_BRIDGE);
        String token = s.getSpec().getOwner().getToken();
        assertThat(died.sync(s).errors()).isEmpty();
        assertThat(k.namespaces()).contains(KernelNames.switchNetns(token, NODE, 1));

        KernelDataplane next = new KernelDataplane(NODE, k.ops(), true);
        assertThat(next.sweepOrphans(Set.of())).containsExactly(token);
        assertThat(k.namespaces()).noneMatch(n -> n.contains(token));
        assertThat(k.interfaces(null).keySet()).noneMatch(n -> n.startsWith(KernelNames.ROOT_PREFIX + token));
        next.close();
        died.close();
    }

    /**
     * A topology grown in place: switch ends are named by link number, so most names now belong to another link. The
     * first sync rewires every link to its own pair (the old code kept another link's device as this link's end: hosts
     * wired to the wrong switch ports, untangled ~70 links per sync); the switches that move to a second namespace
     * (SwitchNamespace#PORTS_PER_NAMESPACE) are rebuilt there.
     */
    @Test
    void aTopologyGrownInPlaceIsRewiredInOneSyncAndSpreadOverNamespaces() {
        FakeKernel k = new FakeKernel();
        KernelDataplane dp = new KernelDataplane(NODE, k.ops(), true);
        NetworkNodeState small = state("planner-grow", "tree,depth=2,fanout=40", SwitchKind.LINUX_BRIDGE);
        NetworkNodeState grown = state("planner-grow", "tree,depth=2,fanout=45", SwitchKind.LINUX_BRIDGE);
        String token = small.getSpec().getOwner().getToken();
        assertThat(grown.getSpec().getOwner().getToken()).isEqualTo(token);
        assertThat(dp.sync(small).errors()).isEmpty();
        String sw1 = KernelNames.switchNetns(token, NODE, 1);
        assertThat(k.namespaces()).doesNotContain(sw1);

        SyncReport r = dp.sync(grown);
        assertThat(r.errors()).isEmpty();
        assertThat(r.hostsReady()).isEqualTo(2025);
        assertThat(dp.sync(grown).actions()).as("a second sync").isZero();
        for (var l : grown.getSpec().getLinks()) {
            String ns = l.getA().getNetns() != null ? l.getA().getNetns() : namespaceHolding(k, l.getA().getDevice());
            FakeKernel.Iface a = k.interfaces(ns).get(l.getA().getDevice());
            assertThat(a).as("end a of %s", l.getId()).isNotNull();
            assertThat(a.peer).as("the peer of %s's end a", l.getId()).endsWith("/" + l.getB().getDevice());
        }
        assertThat(portsBesideTheirBridges(k, KernelNames.switchNetns(token, NODE)) + portsBesideTheirBridges(k, sw1)).isEqualTo(2115);
        assertThat(k.bridges()).as("each switch once").hasSize(46);
        dp.close();
    }

    /** The bridge ports of {@code ns}, after checking that each sits beside its bridge (whole switches per namespace). */
    private static int portsBesideTheirBridges(FakeKernel k, String ns) {
        Map<String, FakeKernel.Iface> in = k.interfaces(ns);
        List<FakeKernel.Iface> ports = in.values().stream().filter(i -> i.master != null).toList();
        assertThat(ports).as("ports in %s", ns).isNotEmpty().allMatch(i -> in.containsKey(i.master));
        return ports.size();
    }

    private static String namespaceHolding(FakeKernel k, String device) {
        return k.namespaces().stream().filter(ns -> k.interfaces(ns).containsKey(device)).findFirst().orElse(null);
    }

    @Test
    void ovsTopologiesTurnOffTxChecksumOnBothEnds() {
        NetworkNodeState s = state("planner-ovs", "linear,2", SwitchKind.OVS);
        String token = s.getSpec().getOwner().getToken();
        Plan plan = planner.plan(token, s.getSpec(), observe(new FakeKernel(), token));
        assertThat(plan.actions()).filteredOn(a -> a instanceof Action.OffloadOff).hasSize(2 * 3);
        assertThat(plan.actions()).filteredOn(a -> a instanceof Action.OvsBridgeAdd).hasSize(2);
        assertThat(plan.actions()).filteredOn(a -> a instanceof Action.OvsPortAdd).hasSize(2 + 2);
    }

    @Test
    void changingOneLinkPlansOnlyThatLink() {
        FakeKernel k = new FakeKernel();
        KernelDataplane dp = new KernelDataplane(NODE, k.ops(), true);
        NetworkNodeState s = state("planner-change", "linear,3", SwitchKind.LINUX_BRIDGE);
        dp.sync(s);
        var link = s.getSpec().getLinks().get(1);
        link.setParams(LinkParams.builder().bandwidthMbps(10.0).lossPercent(1.0).build());
        SyncReport r = dp.sync(s);
        assertThat(r.applied()).isNotEmpty().allMatch(a -> a.item().equals("links/" + link.getId()));
        assertThat(r.applied()).filteredOn(a -> a instanceof Action.QdiscSet).hasSize(2);
        dp.close();
    }

    @Test
    void aDelayedLinkRunsThroughADelayLine() {
        NetworkNodeState s = state("planner-delay", "minimal", SwitchKind.LINUX_BRIDGE);
        s.getSpec().getLinks().get(0).setParams(LinkParams.builder().delay("5ms").build());
        String token = s.getSpec().getOwner().getToken();
        Plan plan = planner.plan(token, s.getSpec(), observe(new FakeKernel(), token));
        assertThat(plan.actions()).filteredOn(a -> a instanceof Action.VethAdd && a.item().startsWith("links/")).hasSize(3);
        // the delay line's sockets open in the switch namespace, where its devices are
        assertThat(plan.actions()).filteredOn(a -> a instanceof Action.RelayStart).singleElement().satisfies(a -> {
            assertThat(((Action.RelayStart) a).line().delay()).isEqualTo(Duration.ofMillis(5));
            assertThat(((Action.RelayStart) a).netns()).isEqualTo(KernelNames.switchNetns(token, NODE));
        });
    }

    @Test
    void aHostLinkMovedOntoADelayLineGetsItsAddressAndRouteBack() {
        FakeKernel k = new FakeKernel();
        KernelDataplane dp = new KernelDataplane(NODE, k.ops(), true);
        NetworkNodeState s = state("planner-move", "minimal", SwitchKind.LINUX_BRIDGE);
        assertThat(dp.sync(s).errors()).isEmpty();
        s.getSpec().getLinks().get(0).setParams(LinkParams.builder().delay("5ms").build());
        SyncReport moved = dp.sync(s);
        assertThat(moved.errors()).isEmpty();
        // h1-eth0 is deleted and made anew: what it carried must be put back in the same sync
        assertThat(moved.applied()).anyMatch(a -> a instanceof Action.VethAdd)
                .anyMatch(a -> a instanceof Action.AddrAdd x && x.device().equals("h1-eth0"))
                .anyMatch(a -> a instanceof Action.RouteDefault x && x.device().equals("h1-eth0"));
        assertThat(dp.sync(s).actions()).isZero();
        dp.close();
    }

    @Test
    void aTunnelEndRefusesADelayWithoutNetemAndCarriesItWithNetem() {
        // a cross-node link's end is a VXLAN device: no delay line can join it
        NetworkNodeState s = state("planner-tunnel", "linear,2", SwitchKind.LINUX_BRIDGE);
        var link = s.getSpec().getLinks().get(0);
        var tunnel = io.nfvlab.api.node.PlannedTunnel.builder().id(link.getId()).vni(4242).localAddress("192.0.2.10")
                .remoteAddress("192.0.2.11").dstPort(4789).peerNode("node-b").endpoint(link.getB())
                .params(LinkParams.builder().delay("5ms").bandwidthMbps(10.0).build()).build();
        s.getSpec().setLinks(s.getSpec().getLinks().subList(1, s.getSpec().getLinks().size()));
        s.getSpec().setTunnels(List.of(tunnel));
        String token = s.getSpec().getOwner().getToken();

        Plan without = planner.plan(token, s.getSpec(), observe(new FakeKernel(), token));
        assertThat(without.errors()).singleElement().satisfies(e -> {
            assertThat(e.getItem()).isEqualTo("tunnels/" + link.getId());
            assertThat(e.getMessage()).contains("delay", "sch_netem");
        });
        assertThat(without.actions()).noneMatch(a -> a instanceof Action.VxlanAdd);

        Plan with = new Planner(NODE, true, io.nfvlab.agent.kernel.shaping.ShapingMechanisms.WITH_NETEM)
                .plan(token, s.getSpec(), observe(new FakeKernel(), token));
        assertThat(with.errors()).isEmpty();
        assertThat(with.actions()).anyMatch(a -> a instanceof Action.VxlanAdd)
                .anyMatch(a -> a instanceof Action.QdiscSet q && q.shaping().netem());
    }

    @Test
    void aDelayThatIsNotADurationIsReportedOnItsLinkAndPlansNothingForIt() {
        NetworkNodeState s = state("planner-baddelay", "minimal", SwitchKind.LINUX_BRIDGE);
        var link = s.getSpec().getLinks().get(0);
        link.setParams(LinkParams.builder().delay("5 ms").build());
        String token = s.getSpec().getOwner().getToken();
        Plan plan = planner.plan(token, s.getSpec(), observe(new FakeKernel(), token));
        assertThat(plan.errors()).singleElement().satisfies(e -> {
            assertThat(e.getItem()).isEqualTo("links/" + link.getId());
            assertThat(e.getMessage()).contains("\"5 ms\" is not a duration");
        });
        assertThat(plan.actions()).noneMatch(a -> a.item().equals("links/" + link.getId()));
    }

    @Test
    void anUnmarkedDeviceInTheWayIsReportedAndLeftAlone() {
        FakeKernel k = new FakeKernel();
        NetworkNodeState s = state("planner-conflict", "minimal", SwitchKind.LINUX_BRIDGE);
        String token = s.getSpec().getOwner().getToken();
        String bridge = s.getSpec().getSwitches().get(0).getDevice();
        String switchNs = KernelNames.switchNetns(token, NODE);
        k.apply(List.of(new Action.NetnsAdd("x", switchNs), new Action.BridgeAdd("x", switchNs, bridge, false, null, 0)));
        Plan plan = planner.plan(token, s.getSpec(), observe(k, token));
        assertThat(plan.errors()).anySatisfy(e -> {
            assertThat(e.getItem()).isEqualTo("switches/s1");
            assertThat(e.getMessage()).contains(bridge).contains("not marked");
        });
        assertThat(plan.actions()).noneMatch(a -> a.toString().contains("device=" + bridge + ","));
    }

    @Test
    void anUnmarkedLinkEndInsideTheOwnersHostNamespaceIsAHalfBuiltLinkAndIsReplaced() {
        // an agent killed -9 after the veth was made and moved, before MarkSet: the device has no alias at all
        FakeKernel k = new FakeKernel();
        NetworkNodeState s = state("planner-halfbuilt", "minimal", SwitchKind.LINUX_BRIDGE);
        String token = s.getSpec().getOwner().getToken();
        var link = s.getSpec().getLinks().stream().filter(l -> l.getA().getNetns() != null).findFirst().orElseThrow();
        var a = link.getA();
        k.apply(List.of(new Action.NetnsAdd("x", a.getNetns()),
                new Action.VethAdd("x", new Action.End(a.getNetns(), a.getDevice(), null, null, 0),
                        new Action.End(null, "halfpeer0", null, null, 0))));
        Plan plan = planner.plan(token, s.getSpec(), observe(k, token));
        assertThat(plan.errors()).noneMatch(e -> e.getItem().equals("links/" + link.getId()));
        assertThat(plan.actions()).anyMatch(x -> x instanceof Action.LinkDel d && a.getDevice().equals(d.device())
                && a.getNetns().equals(d.netns()));
        assertThat(plan.actions()).anyMatch(x -> x instanceof Action.VethAdd v && x.item().equals("links/" + link.getId()));
    }

    @Test
    void ovsSwitchesWithoutOvsSayWhatIsMissing() {
        FakeKernel k = new FakeKernel();
        k.setOvsAvailable(false);
        NetworkNodeState s = state("planner-noovs", "minimal", SwitchKind.OVS);
        String token = s.getSpec().getOwner().getToken();
        Plan plan = planner.plan(token, s.getSpec(), observe(k, token));
        assertThat(plan.errors()).singleElement().satisfies(e ->
                assertThat(e.getMessage()).contains("OVS is not reachable").contains("scripts/setup-host.sh"));
    }

    @Test
    void teardownRemovesOnlyThisOwnersObjectsOnThisNode() {
        FakeKernel k = new FakeKernel();
        KernelDataplane mine = new KernelDataplane(NODE, k.ops(), true);
        KernelDataplane otherNode = new KernelDataplane("node-b", k.ops(), true);
        NetworkNodeState a = state("planner-a", "linear,2", SwitchKind.LINUX_BRIDGE);
        NetworkNodeState b = state("planner-b", "linear,2", SwitchKind.OVS);
        NetworkNodeState c = OneNodePlans.state("planner-c", "node-b", VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("linear,2").build()).build());
        mine.sync(a);
        mine.sync(b);
        otherNode.sync(c);
        SyncReport down = mine.teardown(a);
        String ta = a.getSpec().getOwner().getToken();
        // Linux bridges: the switch side goes with its namespace, nothing of it is deleted one by one
        assertThat(down.applied()).anyMatch(x -> x instanceof Action.NetnsDel d && d.netns().equals(KernelNames.switchNetns(ta, NODE)))
                .noneMatch(x -> x instanceof Action.LinkDel || x instanceof Action.LinkGroupDel);
        assertThat(k.namespaces()).noneMatch(n -> n.contains(ta)).hasSize(5);
        assertThat(k.interfaces(null).keySet()).noneMatch(n -> n.startsWith(KernelNames.ROOT_PREFIX + ta));
        assertThat(k.ovsBridges()).hasSize(2);

        assertThat(mine.sweepOrphans(Set.of())).containsExactly(b.getSpec().getOwner().getToken());
        assertThat(k.ovsBridges()).isEmpty();
        assertThat(k.namespaces()).hasSize(3).allMatch(n -> n.contains(c.getSpec().getOwner().getToken()));
        mine.close();
        otherNode.close();
    }

    @Test
    void aForeignDeviceInTheOwnersGroupPreventsGroupDeletion() {
        FakeKernel k = new FakeKernel();
        KernelDataplane dp = new KernelDataplane(NODE, k.ops(), true);
        // OVS: its switch ends stay in the root, in the owner's interface group
        NetworkNodeState s = state("planner-group", "linear,2", SwitchKind.OVS);
        String token = s.getSpec().getOwner().getToken();
        dp.sync(s);
        k.apply(List.of(new Action.BridgeAdd("x", null, "foreign0", false, null, Marks.group(token))));
        SyncReport down = dp.teardown(s);
        assertThat(down.applied()).noneMatch(x -> x instanceof Action.LinkGroupDel);
        assertThat(k.interfaces(null)).containsOnlyKeys("foreign0");
        dp.close();
    }

    @Test
    void anEmptySpecPlansNothingOnACleanNode() {
        NetworkNodeStateSpec empty = new NetworkNodeStateSpec();
        assertThat(planner.plan("abcde", empty, observe(new FakeKernel(), "abcde")).actions()).isEmpty();
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = PlannerTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as("fixture %s", path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
