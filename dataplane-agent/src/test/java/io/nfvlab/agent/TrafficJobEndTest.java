package io.nfvlab.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A traffic job's result reaches the NetworkNodeState's status when the job ends, not at the agent's next poll: the
 * agent here polls running jobs and resyncs only every minute, so only the job's end can bring the result in time.
 */
class TrafficJobEndTest {
    private static final Duration NEVER_IN_THIS_TEST = Duration.ofMinutes(1);

    private EmbeddedApiServer server;
    private KubernetesClient admin;
    private KubernetesClient agentClient;
    private Agent agent;
    private final GatedJobs jobs = new GatedJobs();

    /** Jobs that stay Running until {@link #finish} ends them all and tells the listener, as a real runner does. */
    private static final class GatedJobs implements TrafficJobs {
        volatile boolean finished;
        volatile Consumer<String> listener = name -> {
        };
        volatile String stateName;

        @Override
        public List<TrafficJobResult> sync(NetworkNodeState state) {
            stateName = state.getMetadata().getName();
            return state.getSpec().trafficJobsOrEmpty().stream()
                    .map(j -> TrafficJobResult.builder().id(j.getId()).runKey(j.getRunKey())
                            .phase(finished ? JobPhase.SUCCEEDED : JobPhase.RUNNING).build())
                    .toList();
        }

        @Override
        public void forget(NetworkNodeState state) {
        }

        @Override
        public void onJobEnd(Consumer<String> listener) {
            this.listener = listener;
        }

        void finish() {
            finished = true;
            listener.accept(stateName);
        }
    }

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        admin = server.client();
        agentClient = server.newClient();
        agent = Agent.start(agentClient, AgentConfig.builder().nodeName("node-a").dataplane(new FakeDataplane()).embedded(true)
                .metricsPort(-1).trafficJobs(jobs).resyncInterval(NEVER_IN_THIS_TEST).trafficPollInterval(NEVER_IN_THIS_TEST).build());
    }

    @AfterEach
    void stop() {
        agent.close();
        agentClient.close();
        server.close();
    }

    @Test
    void aJobsEndIsReportedAtOnceWithoutWaitingForAPoll() {
        NetworkNodeState state = OneNodePlans.state("ended", "node-a", AgentWithFakeDataplaneTest.linear(2));
        state.getSpec().setTrafficJobs(List.of(TrafficJob.builder().id("pingall").runKey("r1").role(TrafficJob.Role.CLIENT)
                .type(TrafficType.PINGALL).build()));
        admin.resource(state).create();
        String name = state.getMetadata().getName();
        await().atMost(Duration.ofSeconds(20)).until(() -> phase(name) == JobPhase.RUNNING);

        jobs.finish();
        await().atMost(Duration.ofSeconds(10)).until(() -> phase(name) == JobPhase.SUCCEEDED);
        assertThat(admin.resources(NetworkNodeState.class).withName(name).get().getStatus().getTrafficResults())
                .singleElement().satisfies(r -> assertThat(r.getId()).isEqualTo("pingall"));
    }

    private JobPhase phase(String name) {
        NetworkNodeState s = admin.resources(NetworkNodeState.class).withName(name).get();
        if (s == null || s.getStatus() == null || s.getStatus().getTrafficResults() == null
                || s.getStatus().getTrafficResults().isEmpty()) {
            return null;
        }
        return s.getStatus().getTrafficResults().get(0).getPhase();
    }
}
