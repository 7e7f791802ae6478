package io.nfvlab.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.kernel.Dataplane;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.kernel.fake.ForwardingDataplane;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hook `nfvlab run` holds an agent's start at until the CRDs exist (AgentConfig#beforeWatching). */
class AgentStartHookTest {
    private EmbeddedApiServer server;
    private KubernetesClient client;
    private final List<Agent> agents = new ArrayList<>();

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        client = server.newClient();
    }

    @AfterEach
    void stop() {
        agents.forEach(Agent::close);
        client.close();
        server.close();
    }

    @Test
    void theHookRunsOnceWithTheLeaseHeldAndTheNodeRegisteredBeforeTheStartReturns() {
        List<String> seen = new ArrayList<>();
        start("node-a", () -> {
            Lease lease = client.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName(Nfvlab.AGENT_LEASE_PREFIX + "node-a").get();
            // the holder identity is node/host/pid-random: this process's agent for node-a
            String holder = lease == null ? "" : lease.getSpec().getHolderIdentity();
            seen.add("lease held by this process: " + holder.startsWith("node-a/") + " " + holder.contains("/" + ProcessHandle.current().pid() + "-"));
            seen.add("node " + (client.nodes().withName("node-a").get() != null));
        });

        assertThat(seen).containsExactly("lease held by this process: true true", "node true");
    }

    @Test
    void aFailingHookFailsTheStartAndLeavesTheNodeFreeForTheNextAgent() {
        assertThatThrownBy(() -> start("node-b", () -> {
            throw new IllegalStateException("CRDs not installed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("CRDs not installed");

        // the failed start released its Lease: a second agent for the node is not refused as a duplicate
        assertThat(start("node-b", () -> { })).isNotNull();
    }

    /**
     * Asking the container runtime (`podman version`) must not hold the start up, and its answer must reach the Lease
     * without waiting a renewal period (here a minute). The runtime answers only once the hook has been reached: asked
     * before the hook, as it was, it would give up after 20 s and answer "gave-up".
     */
    @Test
    void theContainerRuntimeIsAskedBesideTheRestOfTheStartAndInTheLeaseWithoutWaitingForARenewal() throws InterruptedException {
        CountDownLatch hookReached = new CountDownLatch(1);
        Dataplane answersAfterTheHook = (node, netns) -> new ForwardingDataplane(new FakeDataplane().open(node, netns)) {
            @Override
            public String containerRuntimeName() {
                try {
                    return hookReached.await(20, TimeUnit.SECONDS) ? "fake-runtime" : "gave-up";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
        };

        Agent agent = Agent.start(client, AgentConfig.builder().nodeName("node-c").embedded(true).dataplane(answersAfterTheHook)
                .leaseRenewInterval(Duration.ofMinutes(1)).sweepOrphansOnStart(false).beforeWatching(hookReached::countDown).build());
        agents.add(agent);

        assertThat(runtimeInLease("node-c", Duration.ofSeconds(15))).isEqualTo("fake-runtime");
    }

    /** `nfvlab run` with no container host: the runtime is never asked, and the Lease names none (no host lands here). */
    @Test
    void withoutTheProbeTheContainerRuntimeIsNotAskedAndTheLeaseNamesNone() throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Dataplane counting = (node, netns) -> new ForwardingDataplane(new FakeDataplane().open(node, netns)) {
            @Override
            public String containerRuntimeName() {
                asked.incrementAndGet();
                return "fake-runtime";
            }
        };

        Agent agent = Agent.start(client, AgentConfig.builder().nodeName("node-d").embedded(true).dataplane(counting)
                .sweepOrphansOnStart(false).containerRuntimeProbe(false).build());
        agents.add(agent);

        assertThat(runtimeInLease("node-d", Duration.ofSeconds(1))).isNull();
        assertThat(asked).hasValue(0);
    }

    /** The runtime the node's Lease names, once it names one (or null after {@code wait}). */
    private String runtimeInLease(String node, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Lease lease = client.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName(Nfvlab.AGENT_LEASE_PREFIX + node).get();
            String runtime = lease == null || lease.getMetadata().getAnnotations() == null ? null
                    : lease.getMetadata().getAnnotations().get(Nfvlab.CONTAINER_RUNTIME_LABEL);
            if (runtime != null || System.nanoTime() > deadline) {
                return runtime;
            }
            Thread.sleep(50);
        }
    }

    private Agent start(String node, Runnable beforeWatching) {
        Agent agent = Agent.start(client, AgentConfig.builder().nodeName(node).embedded(true).dataplane(new FakeDataplane())
                .sweepOrphansOnStart(false).beforeWatching(beforeWatching).build());
        agents.add(agent);
        return agent;
    }
}
