package io.nfvlab.operator.topology;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.container.KubeletPods;
import io.nfvlab.agent.container.PodSandboxes;
import io.nfvlab.agent.kernel.KernelDataplane;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.plan.Placement;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.NfvlabOperator;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real reconciler and two real agents that serve pods through the kubelet (runtime "kubelet"; their kernel is the
 * in-memory fake and no kubelet runs, so no sandbox is ever recorded): which Pods the operator creates, where
 * referenced pods pin their hosts, and that the Pods go with the topology. The kernel side with real pods is
 * {@code KubeletPlayedPodHostsIT} (e2e).
 */
class PodHostsReconcileTest {
    private static final String NS = "lab";
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private NfvlabOperator operator;
    private final List<Agent> agents = new ArrayList<>();
    @TempDir
    Path sandboxes;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        FakeDataplane fake = new FakeDataplane();
        for (String node : List.of("node-a", "node-b")) {
            PodSandboxes records = new PodSandboxes(sandboxes.resolve(node));
            agents.add(Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).embedded(true)
                    .dataplane((n, netns) -> new KernelDataplane(n, fake.kernel(n).ops(), true, new KubeletPods(n, records)))
                    .podSandboxes(records).sweepOrphansOnStart(false).leaseRenewInterval(Duration.ofMillis(500)).build()));
        }
        operator = NfvlabOperator.start(server.newClient(), OperatorConfig.embeddedDefaults());
    }

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.close();
        }
        agents.forEach(Agent::close);
        server.close();
    }

    private static VirtualTopology topology(String name, PodHostSpec r2) {
        VirtualTopology t = new VirtualTopology();
        t.getMetadata().setName(name);
        t.getMetadata().setNamespace(NS);
        t.setSpec(VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("r1").pod(PodHostSpec.builder()
                        .template(PodTemplate.builder().image("localhost/frr:1").capabilities(List.of("NET_ADMIN")).build()).build()).build())
                .host(HostSpec.builder().name("r2").pod(r2).build())
                .host(HostSpec.builder().name("h1").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("r1").b("s1").build())
                .link(LinkSpec.builder().a("r2").b("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .build());
        return t;
    }

    private void referencedPodOn(String name, String node) {
        admin.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("localhost/app:1").endContainer()
                .endSpec().build()).create();
    }

    private List<Pod> podsOf(String topology) {
        return admin.pods().inNamespace(NS).withLabel(Nfvlab.TOPOLOGY_LABEL, topology).list().getItems();
    }

    @Test
    void theOperatorCreatesOnePodPerTemplatedHostPinnedWhereTheReferencedPodRunsAndDeletesItWithTheTopology() {
        referencedPodOn("router-two", "node-b");
        VirtualTopology created = admin.resource(topology("ospf", PodHostSpec.builder().podRef("router-two").build())).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> podsOf("ospf").size() == 1);
        Pod pod = podsOf("ospf").get(0);
        assertThat(pod.getMetadata().getName()).isEqualTo("ospf-r1");
        assertThat(pod.getMetadata().getLabels()).containsEntry(Nfvlab.HOST_LABEL, "r1");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid()));
        // pack follows the referenced pod: everything on node-b, where router-two runs (node-a would be first by name)
        assertThat(pod.getSpec().getNodeName()).isEqualTo("node-b");
        List<NetworkNodeState> states = admin.resources(NetworkNodeState.class).withLabel(Nfvlab.OWNER_NAME_LABEL, "ospf").list().getItems();
        assertThat(states).singleElement().satisfies(s -> {
            assertThat(s.getSpec().getNodeName()).isEqualTo("node-b");
            assertThat(s.getSpec().hostsOrEmpty()).filteredOn(h -> h.getContainer() != null)
                    .extracting(h -> h.getName() + "=" + h.getContainer().getPodRef())
                    .containsExactlyInAnyOrder("r1=ospf-r1", "r2=router-two");
        });
        // no kubelet runs here: the agent reports the pods' sandboxes missing, and the topology is not Ready
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(readyMessage("ospf"))
                .contains("pod lab/ospf-r1 has no sandbox on node node-b"));

        admin.resources(VirtualTopology.class).inNamespace(NS).withName("ospf").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.resources(VirtualTopology.class).inNamespace(NS).withName("ospf").get() == null);
        assertThat(podsOf("ospf")).as("the operator deletes its pods itself: this server has no garbage collector").isEmpty();
        assertThat(admin.pods().inNamespace(NS).withName("router-two").get()).as("a referenced pod is left as it was").isNotNull();
    }

    @Test
    void aReferencedPodOnANodeWithoutAnAgentIsReadyFalseNamingTheHost() {
        referencedPodOn("elsewhere", "node-z");
        admin.resource(topology("far", PodHostSpec.builder().podRef("elsewhere").build())).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var ready = ready("far");
            assertThat(ready).isNotNull();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo(Placement.POD_NODE_UNAVAILABLE);
            assertThat(ready.getMessage()).startsWith("host r2 is a referenced pod that runs on node node-z, which does not run a ready nfvlab agent");
        });
        assertThat(podsOf("far")).as("nothing is half-built").isEmpty();
    }

    @Test
    void aMissingReferencedPodIsReadyFalseNamingTheHostAndTheTopologyWaitsForIt() {
        admin.resource(topology("early", PodHostSpec.builder().podRef("later").build())).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ready("early")).isNotNull()
                .satisfies(c -> assertThat(c.getReason() + ": " + c.getMessage())
                        .isEqualTo("PodNotFound: host r2: pod later (podRef) does not exist in namespace lab")));
        referencedPodOn("later", "node-a");
        await().atMost(Duration.ofSeconds(20)).until(() -> podsOf("early").size() == 1);
        assertThat(podsOf("early").get(0).getSpec().getNodeName()).isEqualTo("node-a");
    }

    private io.fabric8.kubernetes.api.model.Condition ready(String name) {
        VirtualTopology t = admin.resources(VirtualTopology.class).inNamespace(NS).withName(name).get();
        return t == null || t.getStatus() == null ? null : Conditions.find(t.getStatus().getConditions(), Conditions.READY).orElse(null);
    }

    private String readyMessage(String name) {
        var c = ready(name);
        return c == null ? "" : c.getMessage();
    }

}
