package io.nfvlab.agent;

import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.fake.FakeKernel;
import io.nfvlab.agent.ovsdpdk.DpdkBridges;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.api.bridge.DpdkBridgeSpec;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.bridge.VhostUserPort;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedDpdkBridge;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.plan.NodePlanner.DpdkBridgeTarget;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.TrafficType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile NetworkNodeStates straight into the agent's reconciler, on the in-memory kernel: a plan with one field the
 * planner would never have written is refused as a whole (Synced=False, PlanRefused, the field named) and nothing is
 * created, deleted or run.
 */
class UntrustedPlanTest {
    private static final String NODE = "node-a";
    private static final String BRIDGE = "br-dpdk0";
    private static final String SOCKETS = "/var/run/nfvlab/dpdk/" + BRIDGE;

    private final FakeDataplane fake = new FakeDataplane();
    private final List<String> calls = new ArrayList<>();
    private final DpdkBridges dpdk = new DpdkBridges() {
        @Override
        public List<NodeBridgeStatus> sync(NetworkNodeState state) {
            calls.add("dpdk.sync");
            return List.of();
        }

        @Override
        public void teardown(NetworkNodeState state) {
            calls.add("dpdk.teardown " + state.getSpec().dpdkBridgesOrEmpty().size());
        }
    };
    private final TrafficJobs traffic = new TrafficJobs() {
        @Override
        public List<TrafficJobResult> sync(NetworkNodeState state) {
            calls.add("traffic.sync");
            return List.of();
        }

        @Override
        public void forget(NetworkNodeState state) {
            calls.add("traffic.forget");
        }
    };
    private final AgentConfig config = AgentConfig.builder().nodeName(NODE).dataplane(fake).dpdkBridges(dpdk)
            .trafficJobs(traffic).build();
    private final NodeDataplane node = fake.open(NODE, null);
    private final NodeStateReconciler reconciler = new NodeStateReconciler(config, node,
            new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), NODE));

    @AfterEach
    void close() {
        node.close();
    }

    private static VirtualTopologySpec linear(int k) {
        return VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear,k=" + k).build())
                .staticArp(true).build();
    }

    private static NetworkNodeState lin2() {
        return OneNodePlans.state("lin2", NODE, linear(2));
    }

    /** h1 in a namespace and vnf1 as a vhost-user endpoint on s1, an ovs-dpdk switch on DpdkBridge dpdk0. */
    private static NetworkNodeState dpdkLab() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder().switchKind(SwitchKind.OVS_DPDK).bridgeRef("dpdk0")
                .host(HostSpec.builder().name("h1").build())
                .host(HostSpec.builder().name("vnf1").vhostUser(true).build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("vnf1").b("s1").build()).build();
        return OneNodePlans.state("lab", NODE, spec, Map.of("dpdk0", new DpdkBridgeTarget(BRIDGE, SOCKETS)));
    }

    private static NetworkNodeState bridgeState(String socketDir, String portSocket) {
        NetworkNodeState s = OneNodePlans.state("unused", NODE, new VirtualTopologySpec());
        String token = KernelNames.token("DpdkBridge", null, "dpdk0");
        s.getSpec().setOwner(io.nfvlab.api.node.OwnerRef.builder().kind("DpdkBridge").name("dpdk0").token(token).build());
        s.getSpec().setDpdkBridges(List.of(PlannedDpdkBridge.builder().name("dpdk0").socketDir(socketDir)
                .spec(DpdkBridgeSpec.builder().bridgeName(BRIDGE)
                        .port(VhostUserPort.builder().name("vnf0").socketPath(portSocket).build()).build()).build()));
        return s;
    }

    private static NetworkNodeState pingJob(String sourceNetns, String destination) {
        NetworkNodeState s = lin2();
        s.getSpec().setTrafficJobs(List.of(TrafficJob.builder().id("t").runKey("1").role(TrafficJob.Role.CLIENT)
                .type(TrafficType.PING)
                .pair(TrafficJob.JobPair.builder().source("h1").sourceNetns(sourceNetns).destination("h2")
                        .destinationAddress(destination).build()).build()));
        return s;
    }

    private static NetworkNodeState lin2(Consumer<NetworkNodeState> edit) {
        NetworkNodeState s = lin2();
        edit.accept(s);
        return s;
    }

    private static NetworkNodeState withTunnel(Consumer<PlannedTunnel> edit) {
        NetworkNodeState s = lin2();
        var link = s.getSpec().getLinks().get(0);
        PlannedTunnel t = PlannedTunnel.builder().id(link.getId()).vni(4242).localAddress("192.0.2.10")
                .remoteAddress("192.0.2.11").dstPort(4789).peerNode("node-b").endpoint(link.getB()).params(link.getParams()).build();
        edit.accept(t);
        s.getSpec().setLinks(s.getSpec().getLinks().subList(1, s.getSpec().getLinks().size()));
        s.getSpec().setTunnels(List.of(t));
        return s;
    }

    static Stream<Arguments> hostilePlans() {
        String token = KernelNames.token("VirtualTopology", "default", "lin2");
        return Stream.of(
                Arguments.of("netns leaving /run/netns", lin2(s -> s.getSpec().getHosts().get(0).setNetns("../../etc/x")), "spec.hosts[0].netns"),
                Arguments.of("netns with a slash", lin2(s -> s.getSpec().getHosts().get(0).setNetns("nfv-" + token + "-h1/x")), "spec.hosts[0].netns"),
                Arguments.of("another owner's netns", lin2(s -> s.getSpec().getHosts().get(0).setNetns("nfv-00000-h1")), "spec.hosts[0].netns"),
                Arguments.of("host name with ..", lin2(s -> s.getSpec().getHosts().get(0).setName("..")), "spec.hosts[0].name"),
                Arguments.of("bridge as an option", lin2(s -> s.getSpec().getSwitches().get(0).setDevice("-nv" + token + "b0")), "spec.switches[0].device"),
                Arguments.of("another owner's bridge", lin2(s -> s.getSpec().getSwitches().get(0).setDevice("nv00000b0")), "spec.switches[0].device"),
                Arguments.of("device with a slash", lin2(s -> s.getSpec().getLinks().get(0).getB().setDevice("nv" + token + "0/b")), "spec.links[0].b.device"),
                Arguments.of("link end into another netns", lin2(s -> s.getSpec().getLinks().get(0).getA().setNetns("nfv-00000-h1")), "spec.links[0].a.netns"),
                Arguments.of("interface as an option", lin2(s -> {
                    s.getSpec().getLinks().get(0).getA().setInterfaceName("-h1");
                    s.getSpec().getLinks().get(0).getA().setDevice("-h1");
                }), "spec.links[0].a.interfaceName"),
                Arguments.of("port of a bridge not in the plan", lin2(s -> s.getSpec().getLinks().get(0).getB().setBridge("docker0")), "spec.links[0].b.bridge"),
                Arguments.of("host address a name", lin2(s -> s.getSpec().getHosts().get(0).getInterfaces().get(0).setAddress("evil.example.com/8")), "spec.hosts[0].interfaces[0].address"),
                Arguments.of("host address with an option", lin2(s -> s.getSpec().getHosts().get(0).getInterfaces().get(0).setAddress("10.0.0.1/8 -x")), "spec.hosts[0].interfaces[0].address"),
                Arguments.of("arp address a name", lin2(s -> s.getSpec().getStaticArp().get(0).setAddress("localhost")), "spec.staticArp[0].address"),
                Arguments.of("owner token squatting another's", lin2(s -> s.getSpec().getOwner().setToken("00000")), "spec.owner.token"),
                Arguments.of("tunnel remote a name", withTunnel(t -> t.setRemoteAddress("peer.example.com")), "spec.tunnels[0].remoteAddress"),
                Arguments.of("tunnel remote an option", withTunnel(t -> t.setRemoteAddress("-1")), "spec.tunnels[0].remoteAddress"),
                Arguments.of("ping destination an option", pingJob("nfv-" + token + "-h1", "-f"), "spec.trafficJobs[0].pairs[0].destinationAddress"),
                Arguments.of("ping destination a name", pingJob("nfv-" + token + "-h1", "example.com"), "spec.trafficJobs[0].pairs[0].destinationAddress"),
                Arguments.of("ping from outside the netns directory", pingJob("../../proc/1/ns/net", "10.0.0.2"), "spec.trafficJobs[0].pairs[0].sourceNetns"),
                Arguments.of("socketDir outside the root", bridgeState("/etc", null), "spec.dpdkBridges[0].socketDir"),
                Arguments.of("socketDir climbing out", bridgeState("/var/run/nfvlab/dpdk/../../../../etc", null), "spec.dpdkBridges[0].socketDir"),
                Arguments.of("port socket outside the root", bridgeState(SOCKETS, "/etc/passwd"), "spec.dpdkBridges[0].spec.ports[0].socketPath"),
                Arguments.of("port socket climbing out", bridgeState(SOCKETS, "/var/run/nfvlab/../../etc/passwd"), "spec.dpdkBridges[0].spec.ports[0].socketPath"),
                Arguments.of("vhost-user socket elsewhere", dpdkHostile(), "spec.links[1].a.vhostUserSocket"),
                Arguments.of("controller on a unix socket", lin2(s -> s.getSpec().getSwitches().get(0).setController("unix:/run/openvswitch/db.sock")),
                        "spec.switches[0].controller"),
                Arguments.of("controller without a port", lin2(s -> s.getSpec().getSwitches().get(0).setController("tcp:10.0.0.9")),
                        "spec.switches[0].controller"),
                Arguments.of("multicast host MAC", lin2(s -> s.getSpec().getHosts().get(0).getInterfaces().get(0).setMac("01:00:5e:00:00:11")),
                        "spec.hosts[0].interfaces[0].mac"),
                Arguments.of("all-zero host MAC", lin2(s -> s.getSpec().getHosts().get(0).getInterfaces().get(0).setMac("00:00:00:00:00:00")),
                        "spec.hosts[0].interfaces[0].mac"),
                Arguments.of("echoes for 69 days", longPing(100000, 60.0), "spec.trafficJobs[0].parameters.count"),
                Arguments.of("echoes past an hour at the default interval", longPing(18001, null), "spec.trafficJobs[0].parameters.count"));
    }

    private static NetworkNodeState longPing(int count, Double interval) {
        NetworkNodeState s = pingJob("nfv-" + KernelNames.token("VirtualTopology", "default", "lin2") + "-h1", "10.0.0.2");
        s.getSpec().getTrafficJobs().get(0).setParameters(io.nfvlab.api.node.TrafficParameters.builder().count(count).intervalSec(interval).build());
        return s;
    }

    private static NetworkNodeState dpdkHostile() {
        NetworkNodeState s = dpdkLab();
        s.getSpec().getLinks().get(1).getA().setVhostUserSocket("/etc/shadow");
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostilePlans")
    void refusesAndTouchesNothing(String what, NetworkNodeState hostile, String field) {
        UpdateControl<NetworkNodeState> control = reconciler.reconcile(hostile, null);

        assertThat(control.isPatchStatus()).isTrue();
        var status = control.getResource().orElseThrow().getStatus();
        var synced = Conditions.find(status.getConditions(), Conditions.SYNCED).orElseThrow();
        assertThat(synced.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(synced.getReason()).isEqualTo(PlanCheck.REASON_REFUSED);
        assertThat(synced.getMessage()).contains(field);
        FakeKernel kernel = fake.kernel(NODE);
        assertThat(kernel.namespaces()).isEmpty();
        assertThat(kernel.interfaces(null)).isEmpty();
        assertThat(kernel.ovsBridges()).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void plannedStatesStillPass() {
        NetworkNodeState tunnel = withTunnel(t -> { });
        for (NetworkNodeState s : List.of(lin2(), dpdkLab(), bridgeState(SOCKETS, SOCKETS + "/vnf0.sock"), bridgeState(null, null),
                pingJob("nfv-" + KernelNames.token("VirtualTopology", "default", "lin2") + "-h1", "10.0.0.2"),
                tunnel, OneNodePlans.state("tree", NODE, VirtualTopologySpec.builder()
                        .topology(BuiltinTopology.builder().type("tree,depth=2,fanout=3").build()).build()))) {
            assertThat(PlanCheck.check(s, PlanCheck.DEFAULT_ROOT)).as(s.getMetadata().getName()).isNull();
        }
    }

    @Test
    void aContainerHostWhoseImageOrInterfacesCouldReachPodmansOptionParserIsRefused() {
        // a fresh template each time: the plan shares the spec's objects
        java.util.function.Supplier<NetworkNodeState> container = () -> OneNodePlans.state("pods", NODE, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("single,2").hostPod(io.nfvlab.api.topology.PodHostSpec.builder()
                        .template(io.nfvlab.api.topology.PodTemplate.builder().image("localhost/x:1").build()).build())
                        .build()).build());
        assertThat(PlanCheck.check(container.get(), PlanCheck.DEFAULT_ROOT)).isNull();

        NetworkNodeState option = container.get();
        option.getSpec().getHosts().get(0).getContainer().getTemplate().setImage("--privileged");
        assertThat(PlanCheck.check(option, PlanCheck.DEFAULT_ROOT).field()).isEqualTo("spec.hosts[0].container.template.image");

        NetworkNodeState renamed = container.get();
        renamed.getSpec().getHosts().get(0).getInterfaces().get(0).setName("h1-eth0");
        assertThat(PlanCheck.check(renamed, PlanCheck.DEFAULT_ROOT).field()).isEqualTo("spec.hosts[0].interfaces[0].name");

        NetworkNodeState sysctl = container.get();
        sysctl.getSpec().getHosts().get(0).getContainer().getTemplate().setSysctls(List.of(
                io.nfvlab.api.topology.PodTemplate.EnvEntry.builder().name("kernel.core_pattern").value("|/x").build()));
        assertThat(PlanCheck.check(sysctl, PlanCheck.DEFAULT_ROOT).field()).isEqualTo("spec.hosts[0].container.template.sysctls[0]");
    }

    @Test
    void anAcceptedPlanIsBuilt() {
        UpdateControl<NetworkNodeState> control = reconciler.reconcile(lin2(), null);
        var synced = Conditions.find(control.getResource().orElseThrow().getStatus().getConditions(), Conditions.SYNCED).orElseThrow();
        assertThat(synced.getStatus()).as(synced.getMessage()).isEqualTo(Conditions.TRUE);
        assertThat(fake.kernel(NODE).hostNamespaces()).hasSize(2);
    }

    @Test
    void deletingARefusedPlanUsesNoneOfItsNames() {
        NetworkNodeState good = lin2();
        reconciler.reconcile(good, null);
        assertThat(fake.kernel(NODE).hostNamespaces()).hasSize(2);
        calls.clear();
        // a later edit points a netns elsewhere; the delete still removes what the token marked, and only that
        NetworkNodeState hostile = lin2(s -> s.getSpec().getHosts().get(0).setNetns("../../etc/x"));
        DeleteControl control = reconciler.cleanup(hostile, null);
        assertThat(control.isRemoveFinalizer()).isTrue();
        assertThat(fake.kernel(NODE).namespaces()).isEmpty();
        assertThat(calls).containsExactly("traffic.forget");
    }

    @Test
    void deletingAStateWithAForgedTokenTouchesNothing() {
        reconciler.reconcile(lin2(), null);
        NetworkNodeState forged = OneNodePlans.state("someone-else", NODE, linear(2));
        forged.getSpec().setOwner(lin2().getSpec().getOwner().toBuilder().name("someone-else").build());
        DeleteControl control = reconciler.cleanup(forged, null);
        assertThat(control.isRemoveFinalizer()).isTrue();
        assertThat(fake.kernel(NODE).namespaces()).as("the victim's namespaces, its switch namespace too").hasSize(3);
    }

    /**
     * Tokens are allocated by the operator, so the agent cannot derive the one token an owner holds, only its
     * candidates: a second owner arriving with a token already held on this node (here lin2 deleted and re-created,
     * another uid, while the first's state still stands) is refused, and deleting it touches nothing of the holder's.
     */
    @Test
    void aTokenHeldHereByAnotherOwnerIsRefusedAndItsDeleteTouchesNothing() {
        NetworkNodeState holder = lin2(s -> s.getSpec().getOwner().setUid("uid-1"));
        reconciler.reconcile(holder, null);
        assertThat(fake.kernel(NODE).hostNamespaces()).hasSize(2);

        NetworkNodeState second = lin2(s -> s.getSpec().getOwner().setUid("uid-2"));
        second.getMetadata().setName("lin2-again");
        var status = reconciler.reconcile(second, null).getResource().orElseThrow().getStatus();
        var synced = Conditions.find(status.getConditions(), Conditions.SYNCED).orElseThrow();
        assertThat(synced.getReason()).isEqualTo(PlanCheck.REASON_REFUSED);
        assertThat(synced.getMessage()).contains("spec.owner.token").contains("is held on this node by VirtualTopology default/lin2 (uid uid-1)");

        assertThat(reconciler.cleanup(second, null).isRemoveFinalizer()).isTrue();
        assertThat(fake.kernel(NODE).namespaces()).as("the holder's namespaces, its switch namespace too").hasSize(3);

        // once the holder is torn down, the token is free for the next owner
        reconciler.cleanup(holder, null);
        assertThat(fake.kernel(NODE).namespaces()).isEmpty();
        var again = reconciler.reconcile(second, null).getResource().orElseThrow().getStatus();
        assertThat(Conditions.find(again.getConditions(), Conditions.SYNCED).orElseThrow().getStatus()).isEqualTo(Conditions.TRUE);
    }

    /** Any of the owner's candidates passes (the operator may have allocated a later one); no other token does. */
    @Test
    void theOwnersTokenIsOneOfItsCandidates() {
        for (String candidate : KernelNames.tokenCandidates("VirtualTopology", "default", "lin2")) {
            NetworkNodeState s = OneNodePlans.state("lin2", NODE, linear(2), Map.of(), candidate);
            assertThat(PlanCheck.check(s, PlanCheck.DEFAULT_ROOT)).as(candidate).isNull();
        }
        String foreign = KernelNames.token("VirtualTopology", "default", "lin3");
        assertThat(PlanCheck.check(OneNodePlans.state("lin2", NODE, linear(2), Map.of(), foreign), PlanCheck.DEFAULT_ROOT))
                .extracting(PlanCheck.Refusal::field).isEqualTo("spec.owner.token");
    }

    @Test
    void addressesAreLiteralsNeverNames() {
        assertThat(PlanCheck.ip("10.0.0.1", "f")).isEqualTo(32);
        assertThat(PlanCheck.ip("fd00::1", "f")).isEqualTo(128);
        for (String bad : List.of("localhost", "10.0.0.256", "010.0.0.1", "-c1", "1.2.3", "::1%eth0", "fd00::1 x", "[::1]")) {
            assertThat(PlanCheck.check(pingJob("nfv-" + KernelNames.token("VirtualTopology", "default", "lin2") + "-h1", bad),
                    PlanCheck.DEFAULT_ROOT)).as(bad).isNotNull();
        }
    }
}
