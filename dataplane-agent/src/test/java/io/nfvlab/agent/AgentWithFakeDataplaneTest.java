package io.nfvlab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.SyncReasons;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AgentWithFakeDataplaneTest {
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private KubernetesClient agentClient;
    private Agent agent;
    private FakeDataplane fake;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        agentClient = server.newClient();
        fake = new FakeDataplane();
        agent = Agent.start(agentClient, AgentConfig.builder().nodeName("node-a").underlayAddress("192.0.2.10")
                .dataplane(fake).embedded(true).metricsPort(-1).resyncInterval(Duration.ofSeconds(1)).build());
    }

    @AfterEach
    void stop() {
        agent.close();
        agentClient.close();
        server.close();
    }

    @Test
    void publishesItsUnderlayAddressOnItsOwnLeaseAndWritesNothingOnItsNode() {
        var lease = admin.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName("nfvlab-agent-node-a").get();
        assertThat(lease.getSpec().getRenewTime()).isNotNull();
        assertThat(lease.getMetadata().getAnnotations()).containsEntry(Nfvlab.UNDERLAY_ANNOTATION, "192.0.2.10");
        // the in-process server starts without Nodes: the agent registers its machine there, bare, as a kubelet would
        var node = admin.nodes().withName("node-a").get();
        assertThat(node.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(node.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void realizesReportsAndTearsDownLinearFour() throws Exception {
        NetworkNodeState state = OneNodePlans.state("fake-lin4", "node-a", linear(4));
        admin.resource(state).create();

        NetworkNodeState synced = awaitSynced(state.getMetadata().getName());
        assertThat(synced.getStatus().getHostsReady()).isEqualTo(4);
        assertThat(synced.getStatus().getLinksReady()).isEqualTo(7);
        assertThat(synced.getMetadata().getFinalizers()).contains(Nfvlab.AGENT_FINALIZER);
        var kernel = fake.kernel("node-a");
        assertThat(kernel.hostNamespaces()).hasSize(4);
        assertThat(kernel.bridges()).hasSize(4);
        String switchNs = io.nfvlab.api.node.KernelNames.switchNetns(synced.getSpec().getOwner().getToken(), "node-a");
        assertThat(kernel.interfaces(switchNs).values()).filteredOn(i -> "bridge".equals(i.kind)).hasSize(4);

        // the periodic resync finds nothing to do and says so
        await().atMost(Duration.ofSeconds(10)).until(() ->
                admin.resource(state).get().getStatus().getLastActions() == 0);

        // a veth deleted by hand is put back by the periodic resync
        kernel.deleteByHand(switchNs, synced.getSpec().getLinks().get(0).getB().getDevice());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                fake.kernel("node-a").interfaces(switchNs).containsKey(synced.getSpec().getLinks().get(0).getB().getDevice()));

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + agent.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("nfvlab_agent_apply_seconds_count").contains("nfvlab_agent_actions_total")
                .contains("nfvlab_agent_drift_repairs_total");

        admin.resource(state).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.resource(state).get() == null);
        assertThat(kernel.namespaces()).isEmpty();
        assertThat(kernel.interfaces(null)).isEmpty();
    }

    @Test
    void aSecondAgentForTheSameNodeIsRefusedWithAWarningEventOnTheNode() {
        String heldBy = admin.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName("nfvlab-agent-node-a").get()
                .getSpec().getHolderIdentity();
        KubernetesClient second = server.newClient();
        try {
            assertThatThrownBy(() -> Agent.start(second, AgentConfig.builder().nodeName("node-a").embedded(true)
                    .dataplane(new FakeDataplane()).build()))
                    .isInstanceOf(NodeHeldException.class).hasMessageContaining("node node-a is held by another live agent");
        } finally {
            second.close();
        }
        assertThat(admin.v1().events().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).list().getItems()).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo(NodeEvents.NODE_HELD);
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("node-a");
            assertThat(e.getMessage()).contains("held by another live agent");
        });
        // the first agent keeps its node
        assertThat(admin.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName("nfvlab-agent-node-a").get()
                .getSpec().getHolderIdentity()).isEqualTo(heldBy);
        assertThat(agent.apiProblem()).isNull();
    }

    @Test
    void ignoresStatesOfOtherNodes() {
        NetworkNodeState other = OneNodePlans.state("fake-other", "node-b", linear(2));
        admin.resource(other).create();
        NetworkNodeState mine = OneNodePlans.state("fake-mine", "node-a", linear(2));
        admin.resource(mine).create();
        awaitSynced(mine.getMetadata().getName());
        assertThat(admin.resource(other).get().getStatus()).isNull();
        assertThat(fake.kernel("node-a").namespaces()).allMatch(n -> n.contains(mine.getSpec().getOwner().getToken()));
    }

    @Test
    void anOvsSwitchOnANodeWithoutOvsIsReportedAsOvsMissingInStatusAndAsAWarningEvent() {
        fake.kernel("node-a").setOvsAvailable(false);
        NetworkNodeState s = OneNodePlans.state("fake-noovs", "node-a", VirtualTopologySpec.builder()
                .switchKind(io.nfvlab.api.topology.SwitchKind.OVS)
                .topology(BuiltinTopology.builder().type("minimal").build()).build());
        admin.resource(s).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            NetworkNodeState now = admin.resource(s).get();
            return now.getStatus() != null && now.getStatus().getErrors() != null;
        });
        NetworkNodeState now = admin.resource(s).get();
        var synced = Conditions.find(now.getStatus().getConditions(), Conditions.SYNCED).orElseThrow();
        assertThat(synced.getStatus()).isEqualTo("False");
        assertThat(synced.getReason()).isEqualTo(SyncReasons.OVS_MISSING);
        assertThat(synced.getMessage()).contains("Open vSwitch is missing on node node-a", "switches s1 (ovs)");
        assertThat(now.getStatus().getErrors()).anySatisfy(e -> assertThat(e.getItem()).isEqualTo("switches/s1"));
        assertThat(now.getStatus().getHostsReady()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.v1().events().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).list().getItems().stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && s.getMetadata().getName().equals(e.getInvolvedObject().getName())
                        && SyncReasons.OVS_MISSING.equals(e.getReason()) && e.getMessage().contains("node-a")));
    }

    @Test
    void withoutOvsLinuxBridgesAreBuiltAsTheyAreAndOnlyTheOvsSwitchIsMissing() {
        fake.kernel("node-a").setOvsAvailable(false);
        NetworkNodeState plain = OneNodePlans.state("fake-lb", "node-a", linear(2));
        admin.resource(plain).create();
        assertThat(awaitSynced(plain.getMetadata().getName()).getStatus().getSwitchesReady()).isEqualTo(2);

        NetworkNodeState mixed = OneNodePlans.state("fake-mixed", "node-a", VirtualTopologySpec.builder()
                .hosts(java.util.List.of(host("h1"), host("h2")))
                .switches(java.util.List.of(sw("s1", io.nfvlab.api.topology.SwitchKind.LINUX_BRIDGE), sw("s2", io.nfvlab.api.topology.SwitchKind.OVS)))
                .links(java.util.List.of(link("h1", "s1"), link("h2", "s2"), link("s1", "s2"))).build());
        admin.resource(mixed).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            NetworkNodeState now = admin.resource(mixed).get();
            return now.getStatus() != null && now.getStatus().getErrors() != null;
        });
        NetworkNodeState now = admin.resource(mixed).get();
        assertThat(Conditions.find(now.getStatus().getConditions(), Conditions.SYNCED).orElseThrow().getReason())
                .isEqualTo(SyncReasons.OVS_MISSING);
        assertThat(now.getStatus().getSwitchesReady()).isEqualTo(1);
        assertThat(now.getStatus().getErrors()).extracting(e -> e.getItem()).contains("switches/s2").doesNotContain("switches/s1");
        // linear,2 keeps its two bridges in its switch namespace; the mixed plan's Linux bridge stays in the root
        assertThat(fake.kernel("node-a").bridges()).hasSize(3);
        assertThat(fake.kernel("node-a").interfaces(null).values()).filteredOn(i -> "bridge".equals(i.kind)).hasSize(1);
    }

    @Test
    void aHostilePlanPostedToTheServerIsRefusedAndNothingIsBuilt() {
        NetworkNodeState s = OneNodePlans.state("fake-hostile", "node-a", linear(2));
        s.getSpec().getHosts().get(0).setNetns("../../../etc/hostile");
        admin.resource(s).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            NetworkNodeState now = admin.resource(s).get();
            return now.getStatus() != null && now.getStatus().getConditions() != null;
        });
        var synced = Conditions.find(admin.resource(s).get().getStatus().getConditions(), Conditions.SYNCED).orElseThrow();
        assertThat(synced.getStatus()).isEqualTo("False");
        assertThat(synced.getReason()).isEqualTo(PlanCheck.REASON_REFUSED);
        assertThat(synced.getMessage()).contains("spec.hosts[0].netns");
        assertThat(fake.kernel("node-a").namespaces()).isEmpty();
        assertThat(fake.kernel("node-a").interfaces(null)).isEmpty();

        admin.resource(s).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.resource(s).get() == null);
    }

    private NetworkNodeState awaitSynced(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            NetworkNodeState s = admin.resources(NetworkNodeState.class).withName(name).get();
            return s != null && s.getStatus() != null && Conditions.isTrue(s.getStatus().getConditions(), Conditions.SYNCED);
        });
        return admin.resources(NetworkNodeState.class).withName(name).get();
    }

    private static io.nfvlab.api.topology.HostSpec host(String name) {
        io.nfvlab.api.topology.HostSpec h = new io.nfvlab.api.topology.HostSpec();
        h.setName(name);
        return h;
    }

    private static io.nfvlab.api.topology.SwitchSpec sw(String name, io.nfvlab.api.topology.SwitchKind kind) {
        io.nfvlab.api.topology.SwitchSpec s = new io.nfvlab.api.topology.SwitchSpec();
        s.setName(name);
        s.setKind(kind);
        return s;
    }

    private static io.nfvlab.api.topology.LinkSpec link(String a, String b) {
        io.nfvlab.api.topology.LinkSpec l = new io.nfvlab.api.topology.LinkSpec();
        l.setA(a);
        l.setB(b);
        return l;
    }

    static VirtualTopologySpec linear(int k) {
        return VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear,k=" + k).build()).build();
    }
}
