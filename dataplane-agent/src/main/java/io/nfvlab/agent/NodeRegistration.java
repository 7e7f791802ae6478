package io.nfvlab.agent;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.Nfvlab;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the cluster this agent is alive: labels its Node {@code nfvlab.io/agent=ready}, annotates the underlay
 * address, and renews the Lease {@code nfvlab-agent-<node>} in the system namespace.
 */
final class NodeRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);

    private final KubernetesClient client;
    private final AgentConfig config;
    private final ScheduledExecutorService timer;

    NodeRegistration(KubernetesClient client, AgentConfig config) {
        this.client = client;
        this.config = config;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nfvlab-agent-lease-" + config.getNodeName());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        labelNode();
        renew();
        long period = config.getLeaseRenewInterval().toMillis();
        timer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    private void labelNode() {
        String name = config.getNodeName();
        Node node = client.nodes().withName(name).get();
        if (node == null) {
            if (!config.isEmbedded()) {
                throw new IllegalStateException("node " + name + " does not exist in the cluster (check --node / NODE_NAME)");
            }
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
        client.nodes().withName(name).edit(n -> {
            if (n.getMetadata().getLabels() == null) n.getMetadata().setLabels(new HashMap<>());
            n.getMetadata().getLabels().put(Nfvlab.AGENT_LABEL, Nfvlab.AGENT_READY);
            if (config.getUnderlayAddress() != null) {
                if (n.getMetadata().getAnnotations() == null) n.getMetadata().setAnnotations(new HashMap<>());
                n.getMetadata().getAnnotations().put(Nfvlab.UNDERLAY_ANNOTATION, config.getUnderlayAddress());
            }
            return n;
        });
    }

    private void renew() {
        try {
            String name = Nfvlab.AGENT_LEASE_PREFIX + config.getNodeName();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            var leases = client.leases().inNamespace(config.getSystemNamespace());
            Lease existing = leases.withName(name).get();
            if (existing == null) {
                leases.resource(new LeaseBuilder().withNewMetadata().withName(name).withNamespace(config.getSystemNamespace()).endMetadata()
                        .withNewSpec().withHolderIdentity(config.getNodeName()).withLeaseDurationSeconds(
                                (int) Math.max(15, 3 * config.getLeaseRenewInterval().toSeconds()))
                        .withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
            } else {
                leases.withName(name).edit(l -> {
                    l.getSpec().setRenewTime(now);
                    l.getSpec().setHolderIdentity(config.getNodeName());
                    return l;
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot renew lease of node {}: {}", config.getNodeName(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
