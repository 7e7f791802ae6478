package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologyStatus;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Waits until a topology is Ready at (at least) a given generation, printing progress (hosts and links ready, elapsed
 * time) whenever it changes; fails at once with the operator's message when the spec is invalid.
 */
public final class TopologyWait {
    public static final String INVALID_SPEC = "InvalidSpec";
    /** The agent retries failed items on its periodic resync; errors that outlive two of them are not transient. */
    static final Duration DEGRADED_GRACE = Duration.ofSeconds(25);

    private TopologyWait() {
    }

    public static VirtualTopology ready(KubernetesClient client, String namespace, String name, long generation,
                                        Duration timeout, PrintWriter progress) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = null;
        long degradedSince = 0;
        VirtualTopology t = null;
        try (Changes changes = Changes.of(client, VirtualTopology.class, namespace, name)) {
            while (System.nanoTime() < deadline) {
                long mark = changes.mark();
                t = client.resources(VirtualTopology.class).inNamespace(namespace).withName(name).get();
                if (t == null) {
                    throw CliException.failure("VirtualTopology " + name + " disappeared while coming up");
                }
                VirtualTopologyStatus s = t.getStatus();
                boolean current = s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= generation;
                if (current) {
                    Condition ready = Conditions.find(s.getConditions(), Conditions.READY).orElse(null);
                    if (ready != null && INVALID_SPEC.equals(ready.getReason())) {
                        throw CliException.failure("VirtualTopology " + name + " is invalid: " + Errors.flatten(ready.getMessage()));
                    }
                    if (ready != null && Conditions.TRUE.equals(ready.getStatus())) {
                        return t;
                    }
                    boolean degraded = Conditions.isTrue(s.getConditions(), Conditions.DEGRADED);
                    if (!degraded) {
                        degradedSince = 0;
                    } else if (degradedSince == 0) {
                        degradedSince = System.nanoTime();
                    } else if (System.nanoTime() - degradedSince > DEGRADED_GRACE.toNanos()) {
                        throw CliException.failure("VirtualTopology " + name + " is degraded: " + Errors.flatten(
                                Conditions.find(s.getConditions(), Conditions.DEGRADED).map(Condition::getMessage).orElse("")));
                    }
                }
                if (progress != null) {
                    String line = progressLine(name, s);
                    if (!Objects.equals(line, last)) {
                        progress.printf(Locale.ROOT, "*** %s (%.1f s)%n", line, (System.nanoTime() - start) / 1e9);
                        progress.flush();
                        last = line;
                    }
                }
                changes.await(mark, Duration.ofNanos(deadline - System.nanoTime()));
            }
        }
        throw CliException.failure("VirtualTopology " + name + " was not Ready within " + timeout.toSeconds() + " s: "
                + notReadyReason(t));
    }

    static String progressLine(String name, VirtualTopologyStatus s) {
        if (s == null) {
            return name + ": waiting for the operator";
        }
        String hosts = s.getHosts() != null ? s.getHosts() : count(s.getHostsReady(), s.getHostsTotal());
        String links = s.getLinks() != null ? s.getLinks() : count(s.getLinksReady(), s.getLinksTotal());
        String degraded = Conditions.find(s.getConditions(), Conditions.DEGRADED)
                .filter(c -> Conditions.TRUE.equals(c.getStatus()))
                .map(c -> "; degraded: " + Errors.flatten(c.getMessage())).orElse("");
        return name + ": hosts " + hosts + ", links " + links + degraded;
    }

    private static String count(Integer ready, Integer total) {
        return (ready == null ? 0 : ready) + "/" + (total == null ? "?" : total);
    }

    private static String notReadyReason(VirtualTopology t) {
        if (t == null || t.getStatus() == null) {
            return "the operator never reported on it";
        }
        VirtualTopologyStatus s = t.getStatus();
        StringBuilder sb = new StringBuilder(progressLine(t.getMetadata().getName(), s));
        for (String type : new String[]{Conditions.READY, Conditions.DEGRADED}) {
            Conditions.find(s.getConditions(), type)
                    .filter(c -> c.getMessage() != null && !c.getMessage().isBlank())
                    .ifPresent(c -> sb.append("; ").append(type).append(": ").append(Errors.flatten(c.getMessage())));
        }
        return sb.toString();
    }
}
