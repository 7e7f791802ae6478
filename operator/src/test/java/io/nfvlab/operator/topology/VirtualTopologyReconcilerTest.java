package io.nfvlab.operator.topology;

import io.nfvlab.api.plan.Placement;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.node.SyncReasons;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real reconciler against the in-process API server, with two real agents (their in-memory fake dataplane: the
 * kernel side is covered by the agent's tests and by {@link TwoNodesOnOneMachineIT}).
 */
class VirtualTopologyReconcilerTest {
    private static final String NS = "default";
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private final Map<String, Agent> agents = new HashMap<>();
    private final Map<String, FakeDataplane> fakes = new HashMap<>();
    private OperatorConfig config = OperatorConfig.embeddedDefaults().toBuilder().nodeGoneGrace(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        addNode("node-a", "192.168.77.1");
        addNode("node-b", "192.168.77.2");
        operator = NfvlabOperator.start(server.newClient(), config);
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        agents.values().forEach(Agent::close);
        server.close();
    }

    @Test
    void createdTopologyBecomesReadyOnOneNode() {
        admin.resource(topology("lin4", "linear,4", null)).create();

        VirtualTopology ready = awaitReady("lin4");
        assertThat(ready.getStatus().getHosts()).isEqualTo("4/4");
        assertThat(ready.getStatus().getLinks()).isEqualTo("7/7");
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
        assertThat(ready.getMetadata().getFinalizers()).contains(Nfvlab.OPERATOR_FINALIZER);
        List<NetworkNodeState> states = states("lin4");
        assertThat(states).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getLabels()).containsEntry(Nfvlab.NODE_LABEL, "node-a")
                    .containsEntry(Nfvlab.OWNER_NAME_LABEL, "lin4").containsEntry(Nfvlab.OWNER_KIND_LABEL, "VirtualTopology");
            assertThat(s.getSpec().getOwner().getUid()).isEqualTo(ready.getMetadata().getUid());
            assertThat(s.getSpec().tunnelsOrEmpty()).isEmpty();
        });
        assertThat(ready.getStatus().getHostAddresses()).extracting(VirtualTopologyStatus.HostStatus::getNetns)
                .allSatisfy(n -> assertThat(n).startsWith("nfv-"));
    }

    @Test
    void spreadOverTwoNodesGivesVxlanPairsWithTheSameVniThatStayOnTheNextReconcile() {
        admin.resource(topology("spread", "linear,4", PlacementSpec.Strategy.SPREAD)).create();
        VirtualTopology ready = awaitReady("spread");
        Map<String, Integer> vnis = tunnelVnis("spread");
        assertThat(vnis).hasSize(3);
        for (NetworkNodeState s : states("spread")) {
            assertThat(s.getSpec().tunnelsOrEmpty()).hasSize(3)
                    .allSatisfy(t -> assertThat(t.getVni()).isEqualTo(vnis.get(t.getId())));
            // each agent published its underlay address on its own Lease; the Nodes carry none
            String peer = s.getSpec().getNodeName().equals("node-a") ? "192.168.77.2" : "192.168.77.1";
            assertThat(s.getSpec().tunnelsOrEmpty()).allSatisfy(t -> assertThat(t.getRemoteAddress()).isEqualTo(peer));
        }
        assertThat(ready.getStatus().getTunnels()).extracting(VirtualTopologyStatus.TunnelAllocation::getVni)
                .containsExactlyInAnyOrderElementsOf(vnis.values());

        // a spec change elsewhere makes the operator re-plan; the VNIs stay
        edit("spread", vt -> vt.getSpec().setLinkOverrides(List.of(LinkSpec.builder().a("h1").b("s1").delay("5ms").build())));
        awaitReadyAtGeneration("spread", 2);
        assertThat(tunnelVnis("spread")).isEqualTo(vnis);

        // and a new operator, which knows nothing but what the API server holds, keeps them too
        operator.close();
        operator = NfvlabOperator.start(server.newClient(), config);
        edit("spread", vt -> vt.getSpec().setLinkOverrides(List.of(LinkSpec.builder().a("h1").b("s1").delay("7ms").build())));
        awaitReadyAtGeneration("spread", 3);
        assertThat(tunnelVnis("spread")).isEqualTo(vnis);
        assertThat(vnis.values()).allMatch(io.nfvlab.api.plan.VniRange.DEFAULT::contains);
    }

    /** The operator's VNI range (--vni-range, chart value operator.vniRange) is what tunnels get. */
    @Test
    void tunnelsGetVnisFromTheConfiguredRange() {
        operator.close();
        config = config.toBuilder().vniRange(io.nfvlab.api.plan.VniRange.parse("70000-70009")).build();
        operator = NfvlabOperator.start(server.newClient(), config);
        admin.resource(topology("ranged", "linear,4", PlacementSpec.Strategy.SPREAD)).create();
        awaitReady("ranged");
        assertThat(tunnelVnis("ranged")).hasSize(3).allSatisfy((link, vni) -> assertThat(vni).isBetween(70000, 70009));
    }

    @Test
    void aSpecChangeRewritesOnlyTheNodeStateItTouches() {
        admin.resource(topology("minimal", "linear,4", PlacementSpec.Strategy.SPREAD)).create();
        awaitReady("minimal");
        Map<String, Long> before = generations("minimal");

        // h1 and s1 live on node-a (spread: h1 a, h2 b, h3 a, h4 b; s1 with h1)
        edit("minimal", vt -> vt.getSpec().setLinkOverrides(List.of(LinkSpec.builder().a("s1").b("h1").delay("10ms").build())));
        awaitReadyAtGeneration("minimal", 2);
        Map<String, Long> after = generations("minimal");
        assertThat(after.get("node-a")).isGreaterThan(before.get("node-a"));
        assertThat(after.get("node-b")).isEqualTo(before.get("node-b"));
        NetworkNodeState a = states("minimal").stream().filter(s -> s.getSpec().getNodeName().equals("node-a")).findFirst().orElseThrow();
        assertThat(a.getSpec().linksOrEmpty()).filteredOn(l -> "10ms".equals(l.getParams().getDelay()))
                .singleElement().satisfies(l -> assertThat(l.getId()).isEqualTo("h1-eth0~s1-eth1"));
    }

    @Test
    void invalidSpecIsReportedWithTheFieldAndAWarningEventAndNotRetried() {
        VirtualTopology vt = topology("bad", "linear,4", null);
        vt.getSpec().setTopology(null);
        vt.getSpec().setHosts(List.of(io.nfvlab.api.topology.HostSpec.builder().name("h1").build()));
        vt.getSpec().setLinks(List.of(LinkSpec.builder().a("h1").b("s9").build()));
        admin.resource(vt).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> readyCondition("bad") != null
                && "InvalidSpec".equals(readyCondition("bad").getReason()));
        assertThat(readyCondition("bad").getMessage()).contains("spec.links[0].b");
        assertThat(readyCondition("bad").getStatus()).isEqualTo("False");
        List<Event> events = admin.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "bad".equals(e.getInvolvedObject().getName())).toList();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("InvalidSpec");
            assertThat(e.getMessage()).contains("spec.links[0].b");
        });
        assertThat(states("bad")).isEmpty();
        String version = get("bad").getMetadata().getResourceVersion();
        sleep(1500);
        assertThat(get("bad").getMetadata().getResourceVersion()).as("no status rewrite loop").isEqualTo(version);

        edit("bad", t -> t.getSpec().setLinks(List.of(LinkSpec.builder().a("h1").b("h1x").build())));
        edit("bad", t -> t.getSpec().setHosts(List.of(io.nfvlab.api.topology.HostSpec.builder().name("h1").build(),
                io.nfvlab.api.topology.HostSpec.builder().name("h1x").build())));
        awaitReady("bad");
    }

    @Test
    void deletingATopologyRemovesItsNodeStatesAfterTheAgentsTearDown() {
        admin.resource(topology("gone", "linear,4", PlacementSpec.Strategy.SPREAD)).create();
        awaitReady("gone");
        assertThat(states("gone")).hasSize(2).allSatisfy(s -> assertThat(s.getMetadata().getFinalizers()).contains(Nfvlab.AGENT_FINALIZER));

        admin.resources(VirtualTopology.class).inNamespace(NS).withName("gone").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("gone") == null);
        assertThat(states("gone")).isEmpty();
        assertThat(admin.resources(NetworkNodeState.class).list().getItems()).isEmpty();
    }

    @Test
    void aVanishedNodeDoesNotBlockDeletionForever() {
        admin.resource(topology("orphan", "linear,4", PlacementSpec.Strategy.SPREAD)).create();
        awaitReady("orphan");
        agents.get("node-b").close();
        admin.nodes().withName("node-b").delete();

        admin.resources(VirtualTopology.class).inNamespace(NS).withName("orphan").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("orphan") == null);
        assertThat(states("orphan")).isEmpty();
        assertThat(admin.v1().events().inNamespace(NS).list().getItems())
                .filteredOn(e -> "NodeGone".equals(e.getReason()))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("node-b").contains("no longer exists"));
    }

    @Test
    void anAgentWhoseLeaseExpiredDoesNotBlockDeletionForever() {
        admin.resource(topology("stale", "linear,2", PlacementSpec.Strategy.SPREAD)).create();
        awaitReady("stale");
        // the agent stops renewing its Lease; the Node stays
        agents.get("node-b").close();
        assertThat(admin.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName(Nfvlab.AGENT_LEASE_PREFIX + "node-b").get()).isNotNull();

        admin.resources(VirtualTopology.class).inNamespace(NS).withName("stale").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("stale") == null);
        assertThat(admin.v1().events().inNamespace(NS).list().getItems())
                .filteredOn(e -> "NodeGone".equals(e.getReason()))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("node-b").contains("lease"));
    }

    @Test
    void forceReleaseOnTheTopologyEndsADeletionThatWouldWaitForTheGrace() {
        restartOperatorWithGrace(Duration.ofHours(1));
        admin.resource(topology("never", "linear,4", PlacementSpec.Strategy.SPREAD)).create();
        awaitReady("never");
        // node-b's agent stops for good, but its Node and its fresh Lease remain: the gone-node rule waits an hour
        agents.get("node-b").close();
        admin.resources(VirtualTopology.class).inNamespace(NS).withName("never").delete();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> get("never") != null);
        assertThat(states("never")).singleElement().satisfies(s -> assertThat(s.getSpec().getNodeName()).isEqualTo("node-b"));

        edit("never", vt -> {
            Map<String, String> annotations = vt.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(vt.getMetadata().getAnnotations());
            annotations.put(Nfvlab.FORCE_RELEASE_ANNOTATION, "true");
            vt.getMetadata().setAnnotations(annotations);
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> get("never") == null);
        assertThat(states("never")).isEmpty();
        assertThat(admin.v1().events().inNamespace(NS).list().getItems())
                .filteredOn(e -> "ForceReleased".equals(e.getReason()))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("VirtualTopology never carries nfvlab.io/force-release=true")
                        .contains("node-b"));
    }

    @Test
    void forceReleaseOnOneNodeStateReleasesThatStateAlone() {
        restartOperatorWithGrace(Duration.ofHours(1));
        admin.resource(topology("half", "linear,4", PlacementSpec.Strategy.SPREAD)).create();
        awaitReady("half");
        agents.get("node-a").close();
        agents.get("node-b").close();
        admin.resources(VirtualTopology.class).inNamespace(NS).withName("half").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> states("half").stream().allMatch(s -> s.getMetadata().getDeletionTimestamp() != null));

        NetworkNodeState onB = states("half").stream().filter(s -> s.getSpec().getNodeName().equals("node-b")).findFirst().orElseThrow();
        admin.resource(onB).edit(s -> {
            s.getMetadata().setAnnotations(new HashMap<>(Map.of(Nfvlab.FORCE_RELEASE_ANNOTATION, "true")));
            return s;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> states("half").size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> get("half") != null);
        assertThat(states("half")).singleElement().satisfies(s -> assertThat(s.getSpec().getNodeName()).isEqualTo("node-a"));
    }

    private void restartOperatorWithGrace(Duration grace) {
        operator.close();
        config = config.toBuilder().nodeGoneGrace(grace).build();
        operator = NfvlabOperator.start(server.newClient(), config);
    }

    @Test
    void anOperatorRestartedMidReconcileConverges() {
        operator.close();
        operator = null;
        // several topologies created while the operator is down, then an operator that is stopped almost at once
        for (int i = 0; i < 5; i++) {
            admin.resource(topology("r" + i, "tree,depth=2,fanout=2", PlacementSpec.Strategy.SPREAD)).create();
        }
        operator = NfvlabOperator.start(server.newClient(), config);
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.resources(NetworkNodeState.class).list().getItems().isEmpty());
        operator.close();
        operator = NfvlabOperator.start(server.newClient(), config);
        for (int i = 0; i < 5; i++) {
            awaitReady("r" + i);
            assertThat(states("r" + i)).hasSize(2);
        }
        assertThat(admin.resources(NetworkNodeState.class).list().getItems()).hasSize(10);
    }

    @Test
    void noLiveAgentMeansUnschedulableUntilOneAppears() {
        // both agents stop (their Nodes stay): no node may receive hosts
        agents.remove("node-a").close();
        agents.remove("node-b").close();
        admin.resource(topology("wait", "linear,2", null)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> readyCondition("wait") != null
                && Placement.NO_AGENT_NODES.equals(readyCondition("wait").getReason()));
        assertThat(readyCondition("wait").getMessage()).contains("node-a").contains("released its lease");
        addNode("node-b", "192.168.77.2");
        awaitReady("wait");
        assertThat(states("wait")).singleElement().satisfies(s -> assertThat(s.getSpec().getNodeName()).isEqualTo("node-b"));
    }

    @Test
    void aNodeWhoseAgentLeaseIsStaleGetsNoHostsUntilAnAgentHoldsItAgain() {
        // node-c had an agent that was killed; its Lease stopped long ago
        java.time.ZonedDateTime longAgo = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusHours(1);
        admin.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("node-c")
                .addToLabels("nfvlab.io/test-pool", "c").endMetadata().build()).create();
        admin.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata().withName(Nfvlab.AGENT_LEASE_PREFIX + "node-c").withNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).endMetadata()
                .withNewSpec().withHolderIdentity("node-c/killed").withLeaseDurationSeconds(15)
                .withAcquireTime(longAgo).withRenewTime(longAgo).endSpec().build()).create();
        VirtualTopology vt = topology("pinned", "linear,2", null);
        vt.getSpec().setPlacement(PlacementSpec.builder().nodeSelector(Map.of("nfvlab.io/test-pool", "c")).build());
        admin.resource(vt).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> readyCondition("pinned") != null
                && Placement.NO_AGENT_NODES.equals(readyCondition("pinned").getReason()));
        assertThat(readyCondition("pinned").getStatus()).isEqualTo("False");
        assertThat(readyCondition("pinned").getMessage()).contains("node-c").contains("has not renewed its lease");
        assertThat(states("pinned")).isEmpty();

        // an agent starts there, takes the stale Lease over: the topology is placed on node-c
        addNode("node-c", "192.168.77.3");
        awaitReady("pinned");
        assertThat(states("pinned")).singleElement().satisfies(s -> assertThat(s.getSpec().getNodeName()).isEqualTo("node-c"));

        // the agent is killed (no shutdown: its Lease keeps a holder); once the Lease is stale the hosts leave node-c
        agents.remove("node-c").close();
        admin.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName(Nfvlab.AGENT_LEASE_PREFIX + "node-c").edit(l -> {
            l.getSpec().setHolderIdentity("node-c/killed");
            return l;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> readyCondition("pinned") != null
                && Placement.NO_AGENT_NODES.equals(readyCondition("pinned").getReason()));
        assertThat(readyCondition("pinned").getMessage()).contains("node-c");
    }

    /**
     * A name chosen so that its first token candidate is another topology's token (found in a fraction of a second):
     * both are built, the second on its next candidate, and their kernel names share nothing. Before tokens were
     * allocated the second was refused (or, earlier still, the two shared namespaces and bridges).
     */
    @Test
    void aNameBuiltToCollideWithAnotherTopologysTokenGetsADifferentOne() {
        String[] twins = namesWithTheSameToken();
        String squatted = io.nfvlab.api.node.KernelNames.token("VirtualTopology", NS, twins[0]);
        admin.resource(topology(twins[0], "minimal", null)).create();
        awaitReady(twins[0]);
        admin.resource(topology(twins[1], "minimal", null)).create();
        awaitReady(twins[1]);

        String first = states(twins[0]).get(0).getSpec().getOwner().getToken();
        String second = states(twins[1]).get(0).getSpec().getOwner().getToken();
        assertThat(first).isEqualTo(squatted);
        assertThat(get(twins[0]).getStatus().getToken()).isEqualTo(first);
        assertThat(get(twins[1]).getStatus().getToken()).isEqualTo(second);
        assertThat(second).isNotEqualTo(first)
                .isEqualTo(io.nfvlab.api.node.KernelNames.tokenCandidates("VirtualTopology", NS, twins[1]).get(1));
        assertThat(states(twins[1]).get(0).getSpec().getHosts()).allSatisfy(h -> assertThat(h.getNetns()).startsWith("nfv-" + second + "-"));
        // the API server holds one record per token, naming its owner
        assertThat(admin.configMaps().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName("nfvlab-token-" + second).get()
                .getData()).containsEntry("name", twins[1]).containsEntry("uid", get(twins[1]).getMetadata().getUid());

        // deleting the first gives its token back once its agent has torn down; the second keeps its own
        admin.resource(get(twins[0])).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> get(twins[0]) == null);
        assertThat(admin.configMaps().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName("nfvlab-token-" + first).get()).isNull();
        edit(twins[1], t -> t.getSpec().setAutoMac(true));
        awaitReadyAtGeneration(twins[1], 2);
        assertThat(states(twins[1]).get(0).getSpec().getOwner().getToken()).isEqualTo(second);
    }

    /** Two topology names in this namespace whose 5-hex-digit kernel tokens collide (found by search, birthday bound). */
    private static String[] namesWithTheSameToken() {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String name = "t" + i;
            String other = seen.putIfAbsent(io.nfvlab.api.node.KernelNames.token("VirtualTopology", NS, name), name);
            if (other != null) {
                return new String[]{other, name};
            }
        }
    }

    @Test
    void onNodesWithoutOpenVswitchAnOvsTopologyIsNotReadyWithOvsMissingNamingTheNodeWhileLinuxBridgesWork() {
        fakes.forEach((node, dataplane) -> dataplane.kernel(node).setOvsAvailable(false));
        admin.resource(topology("plain", "linear,2", null)).create();
        awaitReady("plain");

        VirtualTopology ovs = topology("ovs", "linear,2", null);
        ovs.getSpec().setSwitchKind(io.nfvlab.api.topology.SwitchKind.OVS);
        admin.resource(ovs).create();
        awaitUntil("ovs", t -> Conditions.find(t.getStatus().getConditions(), Conditions.READY)
                .filter(c -> SyncReasons.OVS_MISSING.equals(c.getReason())).isPresent());
        var ready = readyCondition("ovs");
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        String node = states("ovs").get(0).getSpec().getNodeName();
        assertThat(ready.getMessage()).contains("Open vSwitch is missing on node " + node, "switches s1 (ovs), s2 (ovs)");
        assertThat(Conditions.isTrue(get("plain").getStatus().getConditions(), Conditions.READY)).isTrue();

        // once the node has OVS, the agent's resync builds the switches and the topology becomes Ready
        fakes.get(node).kernel(node).setOvsAvailable(true);
        awaitReady("ovs");
    }

    @Test
    void aLinkProfileIsWaitedForThenPlannedAndAChangeOfItAloneRePlansTheTopologiesThatNameIt() {
        VirtualTopology wan = topology("wan", "linear,2", null);
        wan.getSpec().setLinkOverrides(List.of(io.nfvlab.api.topology.LinkSpec.builder().a("s1").b("s2")
                .profiles(List.of("sat")).build()));
        admin.resource(wan).create();
        admin.resource(topology("plain", "linear,2", null)).create();

        VirtualTopology waiting = awaitUntil("wan", t -> io.nfvlab.api.expansion.LinkProfiles.PROFILE_NOT_FOUND.equals(
                readyCondition("wan").getReason()));
        assertThat(readyCondition("wan").getMessage()).startsWith("spec.linkOverrides[0].profiles[0]: the override of link s1-s2 "
                + "names LinkProfile sat, which does not exist");
        assertThat(waiting.getStatus().getProfiles()).isNull();
        awaitReady("plain");
        Map<String, Long> plainBefore = generations("plain");

        io.nfvlab.api.profile.LinkProfile sat = new io.nfvlab.api.profile.LinkProfile();
        sat.getMetadata().setName("sat");
        sat.setSpec(io.nfvlab.api.profile.LinkProfileSpec.builder().delay("279ms").build());
        admin.resource(sat).create();
        VirtualTopology ready = awaitReady("wan");
        assertThat(ready.getStatus().getProfiles()).singleElement().satisfies(p -> assertThat(p.getValues().getDelay()).isEqualTo("279ms"));
        assertThat(switchLinkDelay("wan")).isEqualTo("279ms");

        admin.resources(io.nfvlab.api.profile.LinkProfile.class).withName("sat").edit(p -> {
            p.getSpec().setDelay("300ms");
            return p;
        });
        awaitUntil("wan", t -> Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY)
                && "300ms".equals(t.getStatus().getProfiles().get(0).getValues().getDelay()));
        assertThat(switchLinkDelay("wan")).isEqualTo("300ms");
        assertThat(get("wan").getMetadata().getGeneration()).isEqualTo(ready.getMetadata().getGeneration());
        // a topology that names no profile is not re-planned
        assertThat(generations("plain")).isEqualTo(plainBefore);
    }

    // --- helpers

    private String switchLinkDelay(String owner) {
        return states(owner).stream().flatMap(s -> s.getSpec().linksOrEmpty().stream())
                .filter(l -> l.getId().startsWith("s")).map(l -> l.getParams().getDelay()).findFirst().orElse(null);
    }

    private void addNode(String node, String underlay) {
        FakeDataplane dataplane = fakes.computeIfAbsent(node, n -> new FakeDataplane());
        agents.put(node, Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).underlayAddress(underlay)
                .embedded(true).dataplane(dataplane).sweepOrphansOnStart(false)
                .leaseRenewInterval(Duration.ofMillis(500)).build()));
    }

    private VirtualTopology get(String name) {
        return admin.resources(VirtualTopology.class).inNamespace(NS).withName(name).get();
    }

    private io.fabric8.kubernetes.api.model.Condition readyCondition(String name) {
        VirtualTopology t = get(name);
        return t == null || t.getStatus() == null ? null : Conditions.find(t.getStatus().getConditions(), Conditions.READY).orElse(null);
    }

    /** A user's edit: read, change, write; retried on 409 as kubectl does when the operator wrote in between. */
    private void edit(String name, java.util.function.Consumer<VirtualTopology> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                admin.resources(VirtualTopology.class).inNamespace(NS).withName(name).edit(t -> {
                    change.accept(t);
                    return t;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private VirtualTopology awaitReady(String name) {
        return awaitUntil(name, t -> Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY));
    }

    private VirtualTopology awaitReadyAtGeneration(String name, long generation) {
        return awaitUntil(name, t -> t.getMetadata().getGeneration() == generation
                && Long.valueOf(generation).equals(t.getStatus().getObservedGeneration())
                && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY));
    }

    private VirtualTopology awaitUntil(String name, Predicate<VirtualTopology> condition) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                VirtualTopology t = get(name);
                return t != null && t.getStatus() != null && condition.test(t);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("topology " + name + " did not get there; it is now " + get(name)
                    + "\nnode states: " + states(name), e);
        }
        return get(name);
    }

    private List<NetworkNodeState> states(String owner) {
        return admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, owner).list().getItems();
    }

    private Map<String, Long> generations(String owner) {
        return states(owner).stream().collect(Collectors.toMap(s -> s.getSpec().getNodeName(), s -> s.getMetadata().getGeneration()));
    }

    private Map<String, Integer> tunnelVnis(String owner) {
        Map<String, Integer> result = new HashMap<>();
        for (NetworkNodeState s : states(owner)) {
            for (PlannedTunnel t : s.getSpec().tunnelsOrEmpty()) {
                Integer other = result.put(t.getId(), t.getVni());
                assertThat(other == null || other.equals(t.getVni())).as("both ends of " + t.getId() + " carry one VNI").isTrue();
            }
        }
        return result;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static VirtualTopology topology(String name, String builtin, PlacementSpec.Strategy strategy) {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace(NS);
        vt.setSpec(VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type(builtin).build())
                .placement(strategy == null ? null : PlacementSpec.builder().strategy(strategy).build())
                .build());
        return vt;
    }
}
