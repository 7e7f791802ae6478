package io.nfvlab.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.apiserver.EmbeddedApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A renewal the container-runtime probe asked for ({@link NodeRegistration#publishNow}) may be writing the Lease
 * when the agent closes. Its write set the holder again after the release: the next agent for the node was refused
 * as a duplicate of one that had stopped (a CI run of AgentStartHookTest).
 */
class NodeRegistrationCloseTest {
    private EmbeddedApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start();
        client = server.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aRenewalUnderWayWhenTheRegistrationClosesDoesNotTakeTheReleasedLeaseBack() throws InterruptedException {
        AgentConfig config = AgentConfig.builder().nodeName("node-r").embedded(true).leaseRenewInterval(Duration.ofMinutes(1)).build();
        for (int round = 0; round < 20; round++) {
            NodeRegistration registration = new NodeRegistration(client, config, new ReconcileProgress(config.getStuckReconcileLimit()));
            registration.acquire();
            registration.start();
            AtomicBoolean closed = new AtomicBoolean();
            // keeps a renewal under way, as a probe answering at the wrong moment does once
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 0; !closed.get(); i++) {
                        registration.publishNow("nfvlab.io/test-round", Integer.toString(i));
                        Thread.sleep(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            publisher.start();
            Thread.sleep(10);
            registration.close();
            closed.set(true);
            publisher.join();

            Lease lease = client.leases().inNamespace(Nfvlab.DEFAULT_SYSTEM_NAMESPACE).withName(Nfvlab.AGENT_LEASE_PREFIX + "node-r").get();
            assertThat(lease.getSpec().getHolderIdentity()).as("holder after close, round %d", round).isNull();
        }
    }
}
