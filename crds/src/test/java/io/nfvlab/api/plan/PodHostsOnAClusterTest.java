package io.nfvlab.api.plan;

import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Container hosts on nodes whose agent serves pods through the kubelet, and referenced pods that pin placement. */
class PodHostsOnAClusterTest {
    private static final AgentNode KUBELET_A = new AgentNode("node-a", Map.of(Nfvlab.CONTAINER_RUNTIME_LABEL, Nfvlab.KUBELET_RUNTIME), null);
    private static final AgentNode KUBELET_B = new AgentNode("node-b", Map.of(Nfvlab.CONTAINER_RUNTIME_LABEL, Nfvlab.KUBELET_RUNTIME), null);
    private static final AgentNode PODMAN = new AgentNode("node-a", Map.of(Nfvlab.CONTAINER_RUNTIME_LABEL, "podman"), null);

    /** r1 (template), r2 (podRef "router-two"), h1 (namespace), all on s1. */
    private static TopologyGraph graph() {
        return TopologyExpander.expand(VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("r1").pod(PodHostSpec.builder()
                        .template(PodTemplate.builder().image("localhost/frr:1").build()).build()).build())
                .host(HostSpec.builder().name("r2").pod(PodHostSpec.builder().podRef("router-two").build()).build())
                .host(HostSpec.builder().name("h1").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("r1").b("s1").build())
                .link(LinkSpec.builder().a("r2").b("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .build());
    }

    private static OwnerRef owner() {
        return OwnerRef.builder().kind("VirtualTopology").namespace("lab").name("ospf").uid("u-1").token("a1b2c").build();
    }

    private static PlannedHost host(NetworkNodeStateSpec plan, String name) {
        return plan.hostsOrEmpty().stream().filter(h -> h.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void onAKubeletNodeATemplatedHostIsThePodTheOperatorCreatesByName() {
        TopologyGraph graph = graph();
        Map<String, String> placement = Placement.place(graph, null, List.of(KUBELET_A), Map.of());
        NetworkNodeStateSpec plan = NodePlanner.plan(graph, placement, owner(), Map.of("node-a", KUBELET_A), Map.of(),
                NodePlanner.Settings.defaults()).get("node-a");
        assertThat(host(plan, "r1").getContainer().getPodRef()).isEqualTo("ospf-r1").isEqualTo(PodHostNames.podName("ospf", "a1b2c", "r1"));
        assertThat(host(plan, "r1").getContainer().getTemplate()).as("the kubelet runs it, not the agent").isNull();
        assertThat(host(plan, "r2").getContainer().getPodRef()).isEqualTo("router-two");
        assertThat(host(plan, "h1").getContainer()).isNull();
    }

    @Test
    void withPodmanATemplatedHostStaysATemplateTheAgentStarts() {
        TopologyGraph graph = graph();
        Map<String, String> placement = Placement.place(graph, null, List.of(PODMAN), Map.of());
        NetworkNodeStateSpec plan = NodePlanner.plan(graph, placement, owner(), Map.of("node-a", PODMAN), Map.of(),
                NodePlanner.Settings.defaults()).get("node-a");
        assertThat(host(plan, "r1").getContainer().getTemplate().getImage()).isEqualTo("localhost/frr:1");
        assertThat(host(plan, "r1").getContainer().getPodRef()).isNull();
    }

    @Test
    void aPodNameThatWouldNotBeValidFallsBackToTokenAndHash() {
        assertThat(PodHostNames.podName("ospf", "a1b2c", "R1")).matches("nfv-a1b2c-[0-9a-f]{10}")
                .isNotEqualTo(PodHostNames.podName("ospf", "a1b2c", "r1"));
        assertThat(PodHostNames.podName("x".repeat(61), "a1b2c", "r1")).startsWith("nfv-a1b2c-");
    }

    @Test
    void packPutsEverythingWithTheReferencedPodOnTheNodeItRunsOn() {
        // without the pin, pack would take node-a, the first by name, and the referenced pod would be out of reach
        Map<String, String> placement = Placement.place(graph(), null, List.of(KUBELET_A, KUBELET_B), Map.of("r1", "node-a"),
                Map.of(), Map.of("r2", "node-b"));
        assertThat(placement).containsEntry("r2", "node-b").containsEntry("r1", "node-b").containsEntry("s1", "node-b");
    }

    @Test
    void spreadKeepsTheReferencedPodWhereItRuns() {
        Map<String, String> placement = Placement.place(graph(), PlacementSpec.builder().strategy(PlacementSpec.Strategy.SPREAD).build(),
                List.of(KUBELET_A, KUBELET_B), Map.of(), Map.of(), Map.of("r2", "node-a"));
        assertThat(placement).containsEntry("r2", "node-a");
    }

    @Test
    void aReferencedPodOnANodeWithoutALiveAgentIsRefusedNamingTheHostAndNode() {
        assertThatThrownBy(() -> Placement.place(graph(), null, List.of(KUBELET_A), Map.of(), Map.of(), Map.of("r2", "node-z")))
                .isInstanceOf(PlacementException.class)
                .hasMessageStartingWith("host r2 is a referenced pod that runs on node node-z, which does not run a ready nfvlab agent")
                .extracting(e -> ((PlacementException) e).reason()).isEqualTo(Placement.POD_NODE_UNAVAILABLE);
    }

    @Test
    void explicitRefusesANodeOtherThanTheOneTheReferencedPodRunsOn() {
        TopologyGraph graph = TopologyExpander.expand(VirtualTopologySpec.builder()
                .placement(PlacementSpec.builder().strategy(PlacementSpec.Strategy.EXPLICIT).build())
                .host(HostSpec.builder().name("r2").node("node-a").pod(PodHostSpec.builder().podRef("router-two").build()).build())
                .host(HostSpec.builder().name("h1").node("node-a").build())
                .link(LinkSpec.builder().a("r2").b("h1").build())
                .build());
        assertThatThrownBy(() -> Placement.place(graph, PlacementSpec.builder().strategy(PlacementSpec.Strategy.EXPLICIT).build(),
                List.of(KUBELET_A, KUBELET_B), Map.of(), Map.of(), Map.of("r2", "node-b")))
                .hasMessageContaining("spec.hosts[r2].node: host r2 is a referenced pod that runs on node-b, not on node-a");
    }
}
