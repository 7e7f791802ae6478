package io.nfvlab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.testing.NodeStateAwaits;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.agent.traffic.Programs;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.Tool;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.api.traffic.kinds.TrafficKinds;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.nfvlab.agent.kernel.linux.KernelFixture.assumeRoot;
import static io.nfvlab.agent.kernel.linux.KernelFixture.leftovers;
import static io.nfvlab.agent.kernel.linux.KernelFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One agent on the real kernel, its traffic pool full of long pingall jobs (more jobs than job threads, a dozen ping
 * processes each), while a new topology arrives: the topology is built and Synced as fast as on an idle agent, and
 * the jobs run on. Names: this test's node {@code it-busy-…} and topologies {@code busy…}, each with its own token.
 */
class LongTrafficBesideNewTopologyIT {
    private static final int JOBS = 5;
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();

    @BeforeEach
    void start() {
        assumeRoot();
        assumeTrue(Programs.installed(Tool.PING), "needs iputils-ping");
        server = EmbeddedApiServer.start();
        admin = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        if (server == null) {
            return;
        }
        for (int i = closeLast.size() - 1; i >= 0; i--) {
            closeLast.get(i).close();
        }
        server.close();
        for (String token : tokens) {
            assertThat(leftovers(token)).as("left behind by token %s", token).isEmpty();
        }
    }

    @Test
    void aNewTopologyIsSyncedPromptlyWhileLongTrafficJobsFillTheAgent() {
        String node = unique("it-busy");
        ProcessTrafficJobs traffic = new ProcessTrafficJobs(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), 4, 32, null);
        KubernetesClient client = server.newClient();
        closeLast.add(client);
        closeLast.add(traffic);
        closeLast.add(Agent.start(client, AgentConfig.builder().nodeName(node).embedded(true).dataplane(LinuxKernel.dataplane())
                .trafficJobs(traffic).sweepOrphansOnStart(false).trafficPollInterval(Duration.ofMillis(500)).build()));

        NetworkNodeState lab = create(unique("busya"), node, "linear,4");
        awaitSynced(lab, Duration.ofSeconds(60));
        NetworkNodeState load = admin.resource(longPingalls(lab, node)).create();
        String h1 = lab.getSpec().getHosts().get(0).getNetns();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> running(load) == JOBS
                && pingsIn(h1) >= 4);
        System.out.printf("load: %d pingall jobs Running (4 at once), %d ping processes in h1%n", running(load), pingsIn(h1));

        long t0 = System.nanoTime();
        NetworkNodeState fresh = create(unique("busyb"), node, "linear,10");
        awaitSynced(fresh, Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("linear,10 Synced %.1f s after it was created, beside the traffic%n", seconds);
        NetworkNodeState synced = admin.resource(fresh).get();
        assertThat(synced.getStatus().getErrors()).isNull();
        assertThat(synced.getStatus().getHostsReady()).isEqualTo(10);
        assertThat(running(load)).as("the traffic ran on meanwhile").isEqualTo(JOBS);
        assertThat(CommandRunner.run(List.of("ip", "netns", "exec", synced.getSpec().getHosts().get(0).getNetns(), "ping", "-c", "1", "-W", "2",
                synced.getSpec().getHosts().get(9).getInterfaces().get(0).getAddress().split("/")[0]), Duration.ofSeconds(10)).ok()).isTrue();

        deleteAndAwaitGone(load);
        await().atMost(Duration.ofSeconds(15)).until(() -> pingsIn(h1) == 0);
        deleteAndAwaitGone(fresh);
        deleteAndAwaitGone(lab);
    }

    /** Five pingall jobs of 600 echoes 50 ms apart (30 s each) among the lab's four hosts. */
    private NetworkNodeState longPingalls(NetworkNodeState lab, String node) {
        List<TrafficJob.JobPair> pairs = new ArrayList<>();
        for (PlannedHost a : lab.getSpec().getHosts()) {
            for (PlannedHost b : lab.getSpec().getHosts()) {
                if (a != b) {
                    pairs.add(TrafficJob.JobPair.builder().source(a.getName()).sourceNetns(a.getNetns()).destination(b.getName())
                            .destinationAddress(b.getInterfaces().get(0).getAddress().split("/")[0]).destinationNetns(b.getNetns()).build());
                }
            }
        }
        TrafficTestSpec test = TrafficTestSpec.builder().type(TrafficType.PINGALL).count(600).intervalSec(0.05).build();
        String name = unique("busyt");
        NetworkNodeStateSpec.NetworkNodeStateSpecBuilder spec = NetworkNodeStateSpec.builder().nodeName(node)
                .owner(OwnerRef.builder().kind("TrafficTest").namespace("default").name(name)
                        .token(KernelNames.token("TrafficTest", "default", name)).generation(1L).build());
        for (int i = 0; i < JOBS; i++) {
            spec.trafficJob(TrafficJob.builder().id("default/" + name + "/" + i).runKey("1").role(TrafficJob.Role.CLIENT)
                    .type(test.getType()).parameters(TrafficKinds.parameters(test)).pairs(pairs).timeoutSeconds(120).build());
        }
        NetworkNodeState s = new NetworkNodeState();
        s.getMetadata().setName(KernelNames.nodeStateName("TrafficTest", "default", name, node));
        s.getMetadata().setLabels(new HashMap<>(Map.of(Nfvlab.NODE_LABEL, node)));
        s.setSpec(spec.build());
        return s;
    }

    private long running(NetworkNodeState s) {
        NetworkNodeState now = admin.resource(s).get();
        if (now == null || now.getStatus() == null || now.getStatus().getTrafficResults() == null) {
            return 0;
        }
        return now.getStatus().getTrafficResults().stream().filter(r -> r.getPhase() == TrafficJobResult.JobPhase.RUNNING).count();
    }

    private static long pingsIn(String netns) {
        String pids = CommandRunner.run(List.of("ip", "netns", "pids", netns), Duration.ofSeconds(10)).stdout().strip();
        return pids.isEmpty() ? 0 : pids.lines().count();
    }

    private NetworkNodeState create(String name, String node, String topo) {
        NetworkNodeState s = OneNodePlans.state(name, node, VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type(topo).build()).build());
        tokens.add(s.getSpec().getOwner().getToken());
        return admin.resource(s).create();
    }

    private void awaitSynced(NetworkNodeState s, Duration within) {
        NodeStateAwaits.synced(admin, s, within);
    }

    private void deleteAndAwaitGone(NetworkNodeState s) {
        NodeStateAwaits.deleteAndAwaitGone(admin, s);
    }
}
