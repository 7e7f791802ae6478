package io.nfvlab.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.kernel.Dataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.kernel.fake.ForwardingDataplane;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.runtime.Clients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The agent's liveness as the cluster sees it: readiness, the node label, the Lease, one agent per node. */
class AgentLivenessTest {
    private static final String NS = Nfvlab.DEFAULT_SYSTEM_NAMESPACE;
    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        server.close();
    }

    @Test
    void readinessFailsWhileTheApiServerRefusesTheCredentialsAndRecovers() throws Exception {
        // the agent's credentials, revocable as deleting the chart's RBAC or rotating a token revokes them
        AtomicReference<String> token = new AtomicReference<>(server.config().getOauthToken());
        KubernetesClient client = Clients.client(new ConfigBuilder(server.config()).withOauthToken(null)
                .withOauthTokenProvider(token::get).build());
        toClose.add(client);
        Agent agent = agent(client, "node-r");

        assertThat(readyz(agent)).isEqualTo(200);
        token.set("revoked");
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz(agent) == 503);
        assertThat(agent.apiProblem()).contains("401");
        token.set(server.config().getOauthToken());
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz(agent) == 200);
        assertThat(agent.apiProblem()).isNull();
    }

    @Test
    void readinessFailsWhileTheApiServerIsUnreachable() {
        KubernetesClient client = server.newClient();
        toClose.add(client);
        Agent agent = agent(client, "node-u");
        assertThat(readyz(agent)).isEqualTo(200);
        server.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> readyz(agent) == 503);
        assertThat(agent.apiProblem()).contains("cannot reach the API server");
    }

    @Test
    void closingReleasesTheLease() {
        KubernetesClient client = server.newClient();
        toClose.add(client);
        Agent agent = agent(client, "node-c");
        assertThat(lease("node-c").getSpec().getHolderIdentity()).startsWith("node-c/");

        agent.close();
        assertThat(lease("node-c").getSpec().getHolderIdentity()).isNull();
        assertThat(lease("node-c").getSpec().getRenewTime()).as("the operator's grace counts from it").isNotNull();

        // and a new agent on the node takes the released Lease at once
        agent(client, "node-c");
        assertThat(lease("node-c").getSpec().getHolderIdentity()).startsWith("node-c/");
    }

    @Test
    void aSecondAgentRefusesANodeWhoseLeaseAnotherLiveAgentHolds() {
        KubernetesClient client = server.newClient();
        toClose.add(client);
        Agent first = agent(client, "node-h");
        String holder = lease("node-h").getSpec().getHolderIdentity();

        assertThatThrownBy(() -> agent(client, "node-h"))
                .isInstanceOf(NodeHeldException.class)
                .hasMessageContaining("node node-h is held by another live agent (" + holder)
                .hasMessageContaining(NS + "/" + Nfvlab.AGENT_LEASE_PREFIX + "node-h");
        // the refused agent leaves the node to the first one
        assertThat(lease("node-h").getSpec().getHolderIdentity()).isEqualTo(holder);
        assertThat(first.isStarted()).isTrue();
    }

    @Test
    void aStaleLeaseOfAnAgentThatDiedIsTakenOver() {
        ZonedDateTime longAgo = ZonedDateTime.now(ZoneOffset.UTC).minusHours(1);
        admin.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(Nfvlab.AGENT_LEASE_PREFIX + "node-s")
                .withNamespace(NS).endMetadata().withNewSpec().withHolderIdentity("node-s/crashed").withLeaseDurationSeconds(15)
                .withAcquireTime(longAgo).withRenewTime(longAgo).endSpec().build()).create();
        KubernetesClient client = server.newClient();
        toClose.add(client);
        Agent agent = agent(client, "node-s");
        assertThat(agent.isStarted()).isTrue();
        assertThat(lease("node-s").getSpec().getHolderIdentity()).startsWith("node-s/").isNotEqualTo("node-s/crashed");
        assertThat(lease("node-s").getSpec().getRenewTime()).isAfter(longAgo);
    }

    @Test
    void aFreshLeaseOfAKilledAgentOnThisHostIsTakenOverWithoutWaiting() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        admin.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(Nfvlab.AGENT_LEASE_PREFIX + "node-k")
                .withNamespace(NS).endMetadata().withNewSpec().withHolderIdentity("node-k/" + host + "/" + gone.pid() + "-0")
                .withLeaseDurationSeconds(15).withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
        KubernetesClient client = server.newClient();
        toClose.add(client);
        assertThat(agent(client, "node-k").isStarted()).isTrue();
        assertThat(lease("node-k").getSpec().getHolderIdentity()).startsWith("node-k/" + host + "/" + ProcessHandle.current().pid() + "-");
    }

    @Test
    void agentMainExitsWithOneLineWhenAnotherLiveAgentHoldsTheNode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        admin.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(Nfvlab.AGENT_LEASE_PREFIX + "node-m")
                .withNamespace(NS).endMetadata().withNewSpec().withHolderIdentity("node-m/another-host/4242-ab")
                .withLeaseDurationSeconds(15).withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
        java.nio.file.Path kubeconfig = java.nio.file.Files.writeString(dir.resolve("kubeconfig"), server.kubeconfig("default"));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.err;
        int code;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            code = new picocli.CommandLine(new AgentMain()).execute("--kubeconfig", kubeconfig.toString(), "--node", "node-m",
                    "--embedded", "--metrics-port", "0", "--cni-socket", "", "--no-sweep", "--no-traffic", "--no-dpdk");
        } finally {
            System.setErr(before);
        }
        assertThat(code).isNotZero();
        assertThat(err.toString()).containsOnlyOnce("nfvlab-agent: node node-m is held by another live agent (node-m/another-host/4242-ab")
                .doesNotContain("Exception");
        assertThat(admin.nodes().withName("node-m").get()).as("the refused agent does not even label the node").isNull();
    }

    @Test
    void aStuckReconcileStopsTheLeaseRenewalSoTheAgentLooksDeadUntilItMovesAgain() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeDataplane fake = new FakeDataplane();
        // a sync that hangs as a kernel call that never returns would
        Dataplane hanging = (node, netns) -> new ForwardingDataplane(fake.open(node, netns)) {
            @Override
            public SyncReport sync(NetworkNodeState state) {
                entered.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.sync(state);
            }
        };
        KubernetesClient client = server.newClient();
        toClose.add(client);
        Agent agent = Agent.start(client, AgentConfig.builder().nodeName("node-x").embedded(true).dataplane(hanging)
                .metricsPort(-1).sweepOrphansOnStart(false).leaseRenewInterval(Duration.ofMillis(200))
                .stuckReconcileLimit(Duration.ofSeconds(1)).build());
        toClose.add(agent);
        toClose.add(release::countDown);   // closed first: the agent's stop waits for its reconciles
        assertThat(readyz(agent)).isEqualTo(200);

        admin.resource(OneNodePlans.state("hangs", "node-x", VirtualTopologySpec.builder()
                .topology(BuiltinTopology.builder().type("minimal").build()).build())).create();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz(agent) == 503);
        assertThat(agent.apiProblem()).contains("reconcile of virtualtopology.default.hangs.node-x has run for")
                .contains("not renewing the lease " + NS + "/" + Nfvlab.AGENT_LEASE_PREFIX + "node-x");
        ZonedDateTime frozen = lease("node-x").getSpec().getRenewTime();
        Thread.sleep(1000);
        assertThat(lease("node-x").getSpec().getRenewTime()).as("five renewal periods later").isEqualTo(frozen);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> readyz(agent) == 200);
        assertThat(lease("node-x").getSpec().getRenewTime()).isAfter(frozen);
    }

    private Agent agent(KubernetesClient client, String node) {
        Agent agent = Agent.start(client, AgentConfig.builder().nodeName(node).embedded(true).dataplane(new FakeDataplane())
                .metricsPort(-1).sweepOrphansOnStart(false).leaseRenewInterval(Duration.ofMillis(200)).build());
        toClose.add(agent);
        return agent;
    }

    private Lease lease(String node) {
        return admin.leases().inNamespace(NS).withName(Nfvlab.AGENT_LEASE_PREFIX + node).get();
    }

    private static int readyz(Agent agent) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.metricsPort() + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
