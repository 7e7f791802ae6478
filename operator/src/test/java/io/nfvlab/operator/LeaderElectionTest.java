package io.nfvlab.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.nfvlab.apiserver.EmbeddedApiServer;
import io.nfvlab.operator.controller.OperatorConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two operator replicas with leader election: one holds the Lease and reconciles; when it stops, the other takes over. */
class LeaderElectionTest {
    @Test
    void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() {
        OperatorConfig config = OperatorConfig.embeddedDefaults().toBuilder().leaderElection(true).systemNamespace("nfvlab-le").build();
        try (EmbeddedApiServer server = EmbeddedApiServer.start();
             Agent agent = Agent.start(server.newClient(), AgentConfig.builder().nodeName("le-node").embedded(true)
                     .systemNamespace("nfvlab-le").dataplane(new FakeDataplane()).sweepOrphansOnStart(false).build())) {
            server.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("nfvlab-le").endMetadata().build()).create();
            NfvlabOperator first = NfvlabOperator.start(server.newClient(), config);
            NfvlabOperator second = NfvlabOperator.start(server.newClient(), config);
            try {
                Lease lease = await().atMost(Duration.ofSeconds(30)).until(
                        () -> server.client().leases().inNamespace("nfvlab-le").withName(NfvlabOperator.LEADER_LEASE).get(),
                        l -> l != null && l.getSpec().getHolderIdentity() != null);
                String leader = lease.getSpec().getHolderIdentity();
                MinimalTopologies.create(server, "led-1");
                MinimalTopologies.awaitReady(server, "led-1", Duration.ofSeconds(30));

                // the leader goes; the other replica acquires the Lease once it expires and reconciles new work
                NfvlabOperator leading = first.isLeader() ? first : second;
                NfvlabOperator standby = leading == first ? second : first;
                assertThat(standby.isLeader()).isFalse();
                leading.close();
                await().atMost(Duration.ofSeconds(60)).until(standby::isLeader);
                assertThat(server.client().leases().inNamespace("nfvlab-le").withName(NfvlabOperator.LEADER_LEASE).get()
                        .getSpec().getHolderIdentity()).isNotEqualTo(leader);
                MinimalTopologies.create(server, "led-2");
                MinimalTopologies.awaitReady(server, "led-2", Duration.ofSeconds(30));
            } finally {
                first.close();
                second.close();
            }
        }
    }
}
