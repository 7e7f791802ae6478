package io.nfvlab.agent;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.runtime.Clients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tells the cluster this agent is alive: holds the Lease {@code nfvlab-agent-<node>} in the system namespace (refusing
 * to start while another live agent holds it), publishes the underlay address on that Lease (annotation
 * {@code nfvlab.io/underlay-ip}), and renews it while its reconciles make progress ({@link ReconcileProgress}). The
 * Lease is the only object the agent writes besides its node states' status: it never writes its Node (which would
 * need Node write rights cluster-wide, and could outlive the agent). The outcome of the last renewal is the agent's
 * view of whether it can still reach the API server with its credentials and do its work (its readiness).
 * {@link #close()} releases the Lease.
 */
final class NodeRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);

    private static final String HOST = hostName();
    /** How long a close waits for a renewal under way (one request or two, without retries): bounds only a server that hangs. */
    private static final Duration RENEWAL_STOP_WAIT = Duration.ofSeconds(5);
    private static final int RELEASE_ATTEMPTS = 3;
    private final KubernetesClient client;
    private final KubernetesClient renewals;
    private final AgentConfig config;
    private final ScheduledExecutorService timer;
    private final String identity;
    private final String leaseName;
    private final ReconcileProgress progress;
    private volatile boolean held;
    private volatile boolean closed;
    private volatile String apiProblem;

    /** Annotations published on the agent's Lease besides the underlay address (a null value: removed). */
    private final java.util.Map<String, String> published = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String REMOVE = "";

    /** Publishes (value null: withdraws) a fact about this node on the agent's Lease, e.g. its container runtime. */
    void publish(String key, String value) {
        published.put(key, value == null ? REMOVE : value);
    }

    /**
     * {@link #publish}es, and has the renewal thread write it into the Lease at once rather than at the next renewal
     * (a period later); {@link #start()} first. After {@link #close()} it only publishes.
     */
    void publishNow(String key, String value) {
        publish(key, value);
        try {
            timer.execute(this::renew);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: there is no Lease of this agent left to write
        }
    }

    NodeRegistration(KubernetesClient client, AgentConfig config, ReconcileProgress progress) {
        this.client = client;
        this.config = config;
        this.progress = progress;
        // the client's retries (with backoff, up to minutes) would hide an unreachable server from readiness: a
        // renewal that fails once is a failed one, the next period tries again
        // (on the agent client's transport, with its JSON mapping: over HTTP, or in-process in `nfvlab run`)
        this.renewals = Clients.withoutRetries(client);
        // one per process, <node>/<host>/<pid>-<random>: a restarted agent must tell the Lease of its killed
        // predecessor (same host, process gone) from that of another live agent on the same node
        this.identity = config.getNodeName() + "/" + HOST + "/" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.leaseName = Nfvlab.AGENT_LEASE_PREFIX + config.getNodeName();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nfvlab-agent-lease-" + config.getNodeName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Renews the Lease from now on; {@link #acquire()} first. */
    void start() {
        registerEmbeddedNode();
        long period = config.getLeaseRenewInterval().toMillis();
        timer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** Null while the last Lease renewal succeeded; otherwise why it failed. */
    String apiProblem() {
        return apiProblem;
    }

    String identity() {
        return identity;
    }

    private int leaseSeconds() {
        return (int) Math.max(15, 3 * config.getLeaseRenewInterval().toSeconds());
    }

    /** @throws NodeHeldException when another agent holds the node's Lease and renewed it within its duration */
    void acquire() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        var leases = client.leases().inNamespace(config.getSystemNamespace());
        Lease existing = leases.withName(leaseName).get();
        if (existing == null) {
            leases.resource(new LeaseBuilder().withNewMetadata().withName(leaseName).withNamespace(config.getSystemNamespace())
                    .withAnnotations(annotations(null)).endMetadata()
                    .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(leaseSeconds())
                    .withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
            held = true;
            return;
        }
        var spec = existing.getSpec();
        String holder = spec == null ? null : spec.getHolderIdentity();
        ZonedDateTime renewed = spec == null ? null : spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        int duration = spec == null || spec.getLeaseDurationSeconds() == null ? leaseSeconds() : spec.getLeaseDurationSeconds();
        if (holder != null && !holder.isEmpty() && renewed != null && renewed.plusSeconds(duration).isAfter(now)
                && !deadOnThisHost(holder)) {
            throw held(holder, Duration.between(renewed, now));
        }
        Lease mine = new LeaseBuilder(existing).editMetadata().withAnnotations(annotations(existing.getMetadata().getAnnotations())).endMetadata()
                .editSpec().withHolderIdentity(identity).withLeaseDurationSeconds(leaseSeconds())
                .withAcquireTime(now).withRenewTime(now).endSpec().build();
        try {
            // the read resourceVersion makes this a compare-and-swap: of two agents taking over at once, one wins
            leases.resource(mine).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw held("another agent that took it over just now", Duration.ZERO);
            }
            throw e;
        }
        if (holder != null && !holder.isEmpty()) {
            LOG.info("took over the lease {}/{} of node {} from {} (last renewed {}: expired, or its process is gone)", config.getSystemNamespace(),
                    leaseName, config.getNodeName(), holder, renewed);
        }
        held = true;
    }

    /**
     * True when the holder names this host and a process that no longer runs: an agent killed (-9, OOM) before it
     * could release its Lease, whose successor need not wait for the Lease to expire. Agents on a node share the
     * host's PID namespace (the DaemonSet runs with hostPID; plain processes do anyway).
     */
    private static boolean deadOnThisHost(String holder) {
        String[] parts = holder.split("/");
        if (parts.length != 3 || !parts[1].equals(HOST)) {
            return false;
        }
        int dash = parts[2].indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? parts[2] : parts[2].substring(0, dash));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }

    private NodeHeldException held(String holder, Duration ago) {
        return new NodeHeldException("node " + config.getNodeName() + " is held by another live agent (" + holder
                + ", lease " + config.getSystemNamespace() + "/" + leaseName + " renewed " + ago.toSeconds()
                + "s ago); not starting a second agent on it");
    }

    /**
     * The in-process API server of {@code nfvlab run} starts without Nodes; the operator places work only on nodes
     * that exist, so the agent registers its machine there, as a kubelet would. Never on a cluster: there the Node is
     * the kubelet's, and the agent may not write it.
     */
    private void registerEmbeddedNode() {
        String name = config.getNodeName();
        if (client.nodes().withName(name).get() != null) {
            return;
        }
        if (!config.isEmbedded()) {
            throw new IllegalStateException("node " + name + " does not exist in the cluster (check --node / NODE_NAME)");
        }
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    /** The Lease's annotations with this agent's underlay address (or without one, when it publishes none) and what it {@link #publish}ed. */
    private Map<String, String> annotations(Map<String, String> existing) {
        Map<String, String> out = existing == null ? new HashMap<>() : new HashMap<>(existing);
        if (config.getUnderlayAddress() != null) {
            out.put(Nfvlab.UNDERLAY_ANNOTATION, config.getUnderlayAddress());
        } else {
            out.remove(Nfvlab.UNDERLAY_ANNOTATION);
        }
        published.forEach((k, v) -> {
            if (REMOVE.equals(v)) out.remove(k);
            else out.put(k, v);
        });
        return out;
    }

    private void renew() {
        if (closed) {
            return;   // one asked for by publishNow just before the close
        }
        var stuck = progress.stuck();
        if (stuck.isPresent()) {
            // a stuck agent must look dead: the operator's gone-node rule then stops waiting for its teardowns
            problem(stuck.get() + "; not renewing the lease " + config.getSystemNamespace() + "/" + leaseName);
            return;
        }
        try {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            var leases = renewals.leases().inNamespace(config.getSystemNamespace());
            Lease existing = leases.withName(leaseName).get();
            if (existing == null) {
                leases.resource(new LeaseBuilder().withNewMetadata().withName(leaseName).withNamespace(config.getSystemNamespace())
                        .withAnnotations(annotations(null)).endMetadata()
                        .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(leaseSeconds())
                        .withAcquireTime(now).withRenewTime(now).endSpec().build()).create();
            } else if (existing.getSpec() != null && existing.getSpec().getHolderIdentity() != null
                    && !identity.equals(existing.getSpec().getHolderIdentity())) {
                // taken over while this agent could not renew (it looked dead): do not fight, stop looking ready
                problem("the lease " + config.getSystemNamespace() + "/" + leaseName + " is now held by "
                        + existing.getSpec().getHolderIdentity());
                return;
            } else {
                leases.withName(leaseName).edit(l -> {
                    l.getMetadata().setAnnotations(annotations(l.getMetadata().getAnnotations()));
                    l.getSpec().setRenewTime(now);
                    l.getSpec().setHolderIdentity(identity);
                    return l;
                });
            }
            if (apiProblem != null) {
                LOG.info("node {}: the API server answers again", config.getNodeName());
            }
            apiProblem = null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || Thread.currentThread().isInterrupted()) {
                return;   // a concurrent write (the server answered; the next renewal retries), or closing: no news of the same Lease: the server answered, the next renewal retries
            }
            problem(e.getCode() == 401 || e.getCode() == 403
                    ? "the API server refuses this agent's credentials (HTTP " + e.getCode() + ")"
                    : e.getCode() <= 0 ? "cannot reach the API server: " + rootMessage(e)
                    : "cannot renew its lease (HTTP " + e.getCode() + "): " + e.getMessage());
        } catch (RuntimeException e) {
            problem("cannot renew its lease: " + e);
        }
    }

    private void problem(String why) {
        if (!why.equals(apiProblem)) {
            LOG.warn("node {}: {}; not ready until a renewal succeeds", config.getNodeName(), why);
        }
        apiProblem = why;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.toString();
    }

    /** Releases the Lease (only if this agent held it: a refused agent leaves it alone). */
    @Override
    public void close() {
        closed = true;
        // a renewal under way would write this agent back as the holder after the release: it is let finish, not
        // interrupted (an interrupted client stops waiting, but the request it sent may still land after the release)
        timer.shutdown();
        try {
            if (!timer.awaitTermination(RENEWAL_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("node {}: a lease renewal did not end within {}; releasing the lease {} anyway", config.getNodeName(),
                        RENEWAL_STOP_WAIT, leaseName);
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            release();
        } finally {
            renewals.close();
        }
    }

    private void release() {
        if (!held) {
            return;
        }
        held = false;
        // without the client's retries too: a shutdown must not wait minutes for a server that is gone; a conflict (a
        // write between this read and this patch) is read again, a few times
        for (int attempt = 1; ; attempt++) {
            try {
                // released as client-go's leader election does: no holder, renewTime kept (the operator's grace counts from it)
                renewals.leases().inNamespace(config.getSystemNamespace()).withName(leaseName).edit(l -> {
                    if (l.getSpec() != null && identity.equals(l.getSpec().getHolderIdentity())) {
                        l.getSpec().setHolderIdentity(null);
                    }
                    return l;
                });
                return;
            } catch (RuntimeException e) {
                if (e instanceof KubernetesClientException k && k.getCode() == 409 && attempt < RELEASE_ATTEMPTS) {
                    continue;
                }
                LOG.warn("node {}: cannot release the lease {}: {} (it expires by itself)", config.getNodeName(), leaseName, e.getMessage());
                return;
            }
        }
    }
}
