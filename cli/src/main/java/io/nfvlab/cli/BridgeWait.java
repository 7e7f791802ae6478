package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.bridge.DpdkBridge;
import io.nfvlab.api.bridge.DpdkBridgeStatus;
import io.nfvlab.api.bridge.NodeBridgeStatus;
import io.nfvlab.api.common.Conditions;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** Waits until a DpdkBridge is Ready, printing the operator's progress message when it changes. */
public final class BridgeWait {
    private BridgeWait() {
    }

    public static DpdkBridge ready(KubernetesClient client, String name, long generation, Duration timeout, PrintWriter progress) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = null;
        DpdkBridge b = null;
        try (Changes changes = Changes.of(client, DpdkBridge.class, null, name)) {
            while (System.nanoTime() < deadline) {
                long mark = changes.mark();
                b = client.resources(DpdkBridge.class).withName(name).get();
                if (b == null) {
                    throw CliException.failure("DpdkBridge " + name + " disappeared while coming up");
                }
                DpdkBridgeStatus s = b.getStatus();
                Condition ready = s == null ? null : Conditions.find(s.getConditions(), Conditions.READY).orElse(null);
                boolean current = s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= generation;
                if (current && ready != null) {
                    if (TopologyWait.INVALID_SPEC.equals(ready.getReason())) {
                        throw CliException.failure("DpdkBridge " + name + " is invalid: " + Errors.flatten(ready.getMessage()));
                    }
                    if (Conditions.TRUE.equals(ready.getStatus())) {
                        return b;
                    }
                }
                String line = name + ": " + (ready == null || ready.getMessage() == null || ready.getMessage().isBlank()
                        ? "waiting for the operator" : Errors.flatten(ready.getMessage()));
                if (progress != null && !Objects.equals(line, last)) {
                    progress.printf(Locale.ROOT, "*** %s (%.1f s)%n", line, (System.nanoTime() - start) / 1e9);
                    progress.flush();
                    last = line;
                }
                changes.await(mark, Duration.ofNanos(deadline - System.nanoTime()));
            }
        }
        throw CliException.failure("DpdkBridge " + name + " was not Ready within " + timeout.toSeconds() + " s: " + last);
    }

    /** One line per node and port: where the vhost-user sockets are, for the VNF or testpmd to connect to. */
    public static String describe(DpdkBridge b) {
        StringBuilder sb = new StringBuilder();
        if (b.getStatus() == null || b.getStatus().getNodes() == null) {
            return "";
        }
        for (NodeBridgeStatus n : b.getStatus().getNodes()) {
            sb.append("*** ").append(n.getBridgeName()).append(" on node ").append(n.getNode()).append(":");
            if (n.getPorts() != null) {
                for (NodeBridgeStatus.PortStatus p : n.getPorts()) {
                    sb.append(' ').append(p.getName()).append('=').append(p.getSocketPath());
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
