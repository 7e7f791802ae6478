package io.nfvlab.api.plan;

import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.expansion.TopologyExpander;
import io.nfvlab.api.expansion.TopologyGraph;
import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.PodHostSpec;
import io.nfvlab.api.topology.PodTemplate;
import io.nfvlab.api.topology.SwitchSpec;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.validation.TopologyValidator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PodHostPlanningTest {
    private static final PodHostSpec BUSYBOX = PodHostSpec.builder()
            .template(PodTemplate.builder().image("localhost/busybox:1").build()).build();

    /** r1 (container) — s1 — h1 (namespace), r1 — r2 (container, existing) directly. */
    private static VirtualTopologySpec mixed() {
        return VirtualTopologySpec.builder()
                .host(HostSpec.builder().name("r1").pod(BUSYBOX).build())
                .host(HostSpec.builder().name("r2").pod(PodHostSpec.builder().podRef("router-two").build())
                        .defaultRoute("via 10.0.0.1").build())
                .host(HostSpec.builder().name("h1").defaultRoute("via 10.0.0.1").build())
                .switchSpec(SwitchSpec.builder().name("s1").build())
                .link(LinkSpec.builder().a("r1").b("s1").build())
                .link(LinkSpec.builder().a("h1").b("s1").build())
                .link(LinkSpec.builder().a("r1").b("r2").delay("5ms").build())
                .build();
    }

    private static final AgentNode WITH_PODMAN = new AgentNode("node-a", Map.of(Nfvlab.CONTAINER_RUNTIME_LABEL, "podman"), null);

    private static NetworkNodeStateSpec planOnOneNode(VirtualTopologySpec spec) {
        return planOn(spec, WITH_PODMAN).get("node-a");
    }

    private static Map<String, NetworkNodeStateSpec> planOn(VirtualTopologySpec spec, AgentNode node) {
        assertThat(TopologyValidator.validate(spec)).isEmpty();
        TopologyGraph graph = TopologyExpander.expand(spec);
        Map<String, String> placement = Placement.place(graph, null, List.of(node), Map.of());
        return NodePlanner.plan(graph, placement, PlanPrinter.owner("pods"), Map.of(node.name(), node), Map.of(),
                NodePlanner.Settings.defaults());
    }

    @Test
    void aContainerHostOnANodeWithoutAContainerRuntimeIsRefusedAtPlanNamingHostAndNode() {
        assertThatThrownBy(() -> planOn(mixed(), new AgentNode("node-a", Map.of(), null)))
                .isInstanceOf(PlacementException.class)
                .hasMessageStartingWith("host r1 is a container, and node node-a has no container runtime for it")
                .extracting(e -> ((PlacementException) e).reason()).isEqualTo(NodePlanner.NO_CONTAINER_RUNTIME);
    }

    private static PlannedHost host(NetworkNodeStateSpec plan, String name) {
        return plan.hostsOrEmpty().stream().filter(h -> h.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void containerLinksAreEth1Eth2InLinkOrderWhileNamespaceHostsKeepMininetNames() {
        NetworkNodeStateSpec plan = planOnOneNode(mixed());
        assertThat(host(plan, "r1").interfacesOrEmpty()).extracting(PlannedHost.PlannedInterface::getName)
                .containsExactly("eth1", "eth2");
        assertThat(host(plan, "r2").interfacesOrEmpty()).extracting(PlannedHost.PlannedInterface::getName)
                .containsExactly("eth1");
        assertThat(host(plan, "h1").interfacesOrEmpty()).extracting(PlannedHost.PlannedInterface::getName)
                .containsExactly("h1-eth0");
        PlannedLink routers = plan.linksOrEmpty().stream().filter(l -> l.getId().equals("r1-eth2~r2-eth1")).findFirst()
                .orElseThrow();
        assertThat(List.of(routers.getA(), routers.getB())).extracting(Endpoint::getDevice).containsExactly("eth2", "eth1");
        assertThat(routers.getA().getNetns()).isEqualTo(host(plan, "r1").getNetns());
    }

    @Test
    void theContainerGetsTheTopologyAddressOnItsFirstLinkButNoDefaultRouteUnlessAsked() {
        NetworkNodeStateSpec plan = planOnOneNode(mixed());
        PlannedHost r1 = host(plan, "r1");
        assertThat(r1.getContainer().getTemplate().getImage()).isEqualTo("localhost/busybox:1");
        assertThat(r1.interfacesOrEmpty().get(0).getAddress()).isEqualTo("10.0.0.2/8");
        assertThat(r1.getDefaultRoute()).isNull();
        PlannedHost r2 = host(plan, "r2");
        assertThat(r2.getContainer().getPodRef()).isEqualTo("router-two");
        assertThat(r2.getDefaultRoute()).isEqualTo("eth1");
        assertThat(r2.getDefaultGateway()).isEqualTo("10.0.0.1");
    }

    /**
     * A container's links are made anew in each new sandbox: with a MAC of the kernel's choosing its neighbours kept the
     * old one and pingall lost echoes after a pod restart. Every interface of a container host has a MAC fixed by the
     * plan (the same in the plan's host interfaces and its link ends, and in every plan of the topology); namespace
     * hosts keep the kernel's choice, as in Mininet.
     */
    @Test
    void everyInterfaceOfAContainerHostHasAStableMacOfItsOwnWhileNamespaceHostsLeaveItToTheKernel() {
        NetworkNodeStateSpec plan = planOnOneNode(mixed());
        List<String> r1 = host(plan, "r1").interfacesOrEmpty().stream().map(PlannedHost.PlannedInterface::getMac).toList();
        String r2 = host(plan, "r2").interfacesOrEmpty().get(0).getMac();
        assertThat(r1).hasSize(2).allSatisfy(mac -> assertThat(mac).matches("02(:[0-9a-f]{2}){5}"));
        assertThat(r2).matches("02(:[0-9a-f]{2}){5}");
        assertThat(List.of(r1.get(0), r1.get(1), r2)).doesNotHaveDuplicates();
        assertThat(plan.linksOrEmpty()).flatExtracting(l -> List.of(l.getA(), l.getB()))
                .filteredOn(e -> "r1".equals(e.getNode())).extracting(Endpoint::getMac).containsExactlyInAnyOrderElementsOf(r1);
        assertThat(host(planOnOneNode(mixed()), "r1").interfacesOrEmpty()).extracting(PlannedHost.PlannedInterface::getMac)
                .as("the next plan of the same topology").isEqualTo(r1);
        assertThat(host(plan, "h1").interfacesOrEmpty().get(0).getMac()).isNull();
    }

    @Test
    void aNamespaceHostTakesMininetsViaGatewayForm() {
        PlannedHost h1 = host(planOnOneNode(mixed()), "h1");
        assertThat(h1.getContainer()).isNull();
        assertThat(h1.getDefaultRoute()).isEqualTo("h1-eth0");
        assertThat(h1.getDefaultGateway()).isEqualTo("10.0.0.1");
    }

    @Test
    void everyHostOfABuiltinRunsTheHostPod() {
        VirtualTopologySpec spec = VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("tree,2,3").hostPod(BUSYBOX).build()).build();
        NetworkNodeStateSpec plan = planOnOneNode(spec);
        assertThat(plan.hostsOrEmpty()).hasSize(9).allSatisfy(h -> {
            assertThat(h.getContainer().getTemplate().getImage()).isEqualTo("localhost/busybox:1");
            assertThat(h.interfacesOrEmpty()).extracting(PlannedHost.PlannedInterface::getName).containsExactly("eth1");
        });
        assertThat(plan.linksOrEmpty()).filteredOn(l -> l.getId().contains("h1-eth"))
                .extracting(PlannedLink::getId).containsExactly("s2-eth1~h1-eth1");
    }
}
