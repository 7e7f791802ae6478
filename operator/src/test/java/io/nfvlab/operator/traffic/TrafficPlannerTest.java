package io.nfvlab.operator.traffic;

import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.operator.traffic.TrafficPlanner.HostInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficPlannerTest {
    private static final List<HostInfo> LINEAR4_ON_TWO_NODES = List.of(
            new HostInfo("h1", "node-a", "nfv-abcde-h1", "10.0.0.1"),
            new HostInfo("h2", "node-a", "nfv-abcde-h2", "10.0.0.2"),
            new HostInfo("h3", "node-b", "nfv-abcde-h3", "10.0.0.3"),
            new HostInfo("h4", "node-b", "nfv-abcde-h4", "10.0.0.4"));

    private static List<String> pairs(TrafficTestSpec spec) {
        return TrafficPlanner.pairs(spec, LINEAR4_ON_TWO_NODES).stream().map(p -> p[0].name() + ">" + p[1].name()).toList();
    }

    @Test
    void mininetsDefaultPairs() {
        assertThat(pairs(TrafficTestSpec.builder().type(TrafficType.PING).build())).containsExactly("h1>h2");
        assertThat(pairs(TrafficTestSpec.builder().type(TrafficType.PINGPAIR).build())).containsExactly("h1>h2", "h2>h1");
        assertThat(pairs(TrafficTestSpec.builder().type(TrafficType.IPERF).build())).containsExactly("h1>h4");
        assertThat(pairs(TrafficTestSpec.builder().type(TrafficType.THROUGHPUT_SEARCH).build())).containsExactly("h1>h4");
        assertThat(pairs(TrafficTestSpec.builder().type(TrafficType.PINGALL).build())).hasSize(12).startsWith("h1>h2", "h1>h3", "h1>h4", "h2>h1");
        assertThat(pairs(TrafficTestSpec.builder().type(TrafficType.PINGALL).hosts(List.of("h2", "h4")).build())).containsExactly("h2>h4", "h4>h2");
        assertThat(pairs(TrafficTestSpec.builder().type(TrafficType.IPERFUDP).source("h3").destination("h2").build())).containsExactly("h3>h2");
    }

    @Test
    void pingallGoesToTheNodesOfTheSourcesWithDestinationsAddressedFromThere() {
        Map<String, List<TrafficJob>> plan = TrafficPlanner.plan("default", "pa", TrafficTestSpec.builder().type(TrafficType.PINGALL).build(),
                LINEAR4_ON_TWO_NODES, "g1--1", true);
        assertThat(plan).containsOnlyKeys("node-a", "node-b");
        TrafficJob a = plan.get("node-a").get(0);
        assertThat(a.getId()).isEqualTo("default/pa");
        assertThat(a.getRunKey()).isEqualTo("g1--1");
        assertThat(a.getRole()).isEqualTo(TrafficJob.Role.CLIENT);
        assertThat(a.getPort()).isNull();
        // hosts, not pairs: the sources on this node and every destination
        assertThat(a.pairsOrEmpty()).isEmpty();
        assertThat(a.getSources()).extracting(TrafficJob.JobHost::getName).containsExactly("h1", "h2");
        assertThat(a.getDestinations()).extracting(TrafficJob.JobHost::getName).containsExactly("h1", "h2", "h3", "h4");
        assertThat(a.pairCount()).isEqualTo(6);
        assertThat(a.expandedPairs()).hasSize(6).allMatch(p -> p.getSource().equals("h1") || p.getSource().equals("h2"));
        assertThat(a.expandedPairs()).filteredOn(p -> p.getDestination().equals("h3")).allMatch(p -> p.getDestinationAddress().equals("10.0.0.3")
                && p.getDestinationNetns() == null);
        assertThat(plan.get("node-b")).singleElement().extracting(TrafficJob::getRole).isEqualTo(TrafficJob.Role.CLIENT);
    }

    @Test
    void aTenThousandHostPingallIsPlannedAsBlocksOfHostsThatEachFitInANodeStatePart() {
        List<TrafficPlanner.HostInfo> hosts = new java.util.ArrayList<>();
        for (int i = 1; i <= 10_000; i++) {
            hosts.add(new TrafficPlanner.HostInfo("h" + i, i <= 5000 ? "node-a" : "node-b", "nfv-abcde-h" + i,
                    "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255)));
        }
        Map<String, List<TrafficJob>> plan = TrafficPlanner.plan("default", "big", TrafficTestSpec.builder().type(TrafficType.PINGALL).build(),
                hosts, "k", true);
        // 5000 sources per node in 2 blocks, 10,000 destinations in 4: 8 jobs per node
        assertThat(plan.get("node-a")).hasSize(8).extracting(TrafficJob::getId).doesNotHaveDuplicates().contains("default/big/b1-3");
        assertThat(plan.values().stream().flatMap(List::stream).mapToLong(TrafficJob::pairCount).sum()).isEqualTo(10_000L * 9_999);
        assertThat(plan.values().stream().flatMap(List::stream))
                .allSatisfy(j -> assertThat(io.nfvlab.api.plan.NodeStateShards.size(j)).isLessThan(io.nfvlab.api.plan.NodeStateShards.BUDGET_BYTES * 3 / 4));
    }

    @Test
    void iperfToAnotherNodeGetsAServerJobThereOnTheSamePort() {
        Map<String, List<TrafficJob>> plan = TrafficPlanner.plan("default", "tcp", TrafficTestSpec.builder().type(TrafficType.IPERF).build(),
                LINEAR4_ON_TWO_NODES, "g1--1", true);
        TrafficJob client = plan.get("node-a").get(0);
        TrafficJob server = plan.get("node-b").get(0);
        assertThat(client.getPairs()).singleElement().satisfies(p -> assertThat(p.getDestinationNetns()).isNull());
        assertThat(server.getRole()).isEqualTo(TrafficJob.Role.SERVER);
        assertThat(server.getId()).isEqualTo("default/tcp/server");
        assertThat(server.getPairs()).singleElement().satisfies(p -> assertThat(p.getDestinationNetns()).isEqualTo("nfv-abcde-h4"));
        assertThat(server.getPort()).isEqualTo(client.getPort()).isEqualTo(TrafficPlanner.port("default", "tcp")).isBetween(5201, 6200);

        assertThat(TrafficPlanner.plan("default", "tcp", TrafficTestSpec.builder().type(TrafficType.IPERF).build(),
                LINEAR4_ON_TWO_NODES, "g1--1", false)).containsOnlyKeys("node-a");
    }

    @Test
    void iperfOnOneNodeStartsItsOwnServer() {
        Map<String, List<TrafficJob>> plan = TrafficPlanner.plan("default", "tcp", TrafficTestSpec.builder().type(TrafficType.IPERF)
                .destination("h2").build(), LINEAR4_ON_TWO_NODES, "k", true);
        assertThat(plan).containsOnlyKeys("node-a");
        assertThat(plan.get("node-a")).singleElement().satisfies(j -> assertThat(j.getPairs().get(0).getDestinationNetns()).isEqualTo("nfv-abcde-h2"));
    }

    @Test
    void testpmdOnVhostUserHostsRunsOnTheirNodeOnTheirFirstPorts() {
        TrafficTestSpec spec = TrafficTestSpec.builder().type(TrafficType.TESTPMD)
                .topologyRef(io.nfvlab.api.common.ObjectRef.builder().name("lab").build())
                .testpmd(io.nfvlab.api.traffic.TestpmdSpec.builder().hosts(List.of("vnf1", "vnf2")).mode("io").build()).build();
        List<VirtualTopologyStatus.HostStatus> placed = List.of(
                VirtualTopologyStatus.HostStatus.builder().name("h1").node("node-a").netns("nfv-abcde-h1").build(),
                vnf("vnf1", "node-b", "nvabcde2b"), vnf("vnf2", "node-b", "nvabcde3b"));

        Map<String, List<TrafficJob>> plan = TrafficPlanner.planTestpmdOnHosts("default", "pmd", spec, placed, "g1--1");

        assertThat(plan).containsOnlyKeys("node-b");
        TrafficJob job = plan.get("node-b").get(0);
        assertThat(job.getParameters().getTestpmd().getPorts()).containsExactly("nvabcde2b", "nvabcde3b");
        // the job must pass the CRD's rule too (hosts exclude ports): the agent needs only the ports
        assertThat(job.getParameters().getTestpmd().getHosts()).isNull();
        assertThat(job.getParameters().getTestpmd().getMode()).isEqualTo("io");

        List<VirtualTopologyStatus.HostStatus> apart = List.of(vnf("vnf1", "node-a", "nvabcde2b"), vnf("vnf2", "node-b", "nvabcde3b"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrafficPlanner.planTestpmdOnHosts("default", "pmd", spec, apart, "g1--1"))
                .hasMessageContaining("different nodes");
    }

    private static VirtualTopologyStatus.HostStatus vnf(String name, String node, String port) {
        return VirtualTopologyStatus.HostStatus.builder().name(name).node(node).vhostUser(List.of(VirtualTopologyStatus.VhostUserEndpoint
                .builder().interfaceName(name + "-eth0").port(port).bridge("br-dpdk0").socketPath("/var/run/nfvlab/dpdk/br-dpdk0/" + port + ".sock")
                .build())).build();
    }
}
