package io.nfvlab.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the scenario waits for, as pure functions of the objects read from the cluster: each returns null when the
 * condition holds, or what is still missing (the {@link Await} message). A state that can no longer become good (a
 * TrafficTest that Failed, a topology refused as InvalidSpec) is an {@link AssertionError} at once.
 */
final class ClusterChecks {
    private ClusterChecks() {
    }

    /** The operator Deployment has an available replica, and (with leader election) a replica holds the Lease. */
    static String operatorPending(Deployment deployment, Lease leaderLease, boolean leaderElection) {
        if (deployment == null) {
            return "no Deployment nfvlab-operator";
        }
        var status = deployment.getStatus();
        int available = status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas();
        if (available < 1) {
            return "Deployment nfvlab-operator has no available replica" + conditionText(status == null ? null
                    : status.getConditions().stream().filter(c -> !"True".equals(c.getStatus()))
                    .map(c -> c.getType() + ": " + c.getMessage()).toList());
        }
        if (leaderElection && (leaderLease == null || leaderLease.getSpec() == null || blank(leaderLease.getSpec().getHolderIdentity()))) {
            return "no operator replica holds the Lease nfvlab-operator yet";
        }
        return null;
    }

    /** The DaemonSet runs one ready, current agent on every node it is scheduled on, and there is at least one. */
    static String daemonSetPending(DaemonSet daemonSet) {
        if (daemonSet == null) {
            return "no DaemonSet nfvlab-agent";
        }
        var s = daemonSet.getStatus();
        if (s == null || s.getDesiredNumberScheduled() == null || s.getDesiredNumberScheduled() == 0) {
            return "DaemonSet nfvlab-agent is scheduled on no node yet";
        }
        int desired = s.getDesiredNumberScheduled();
        int ready = s.getNumberReady() == null ? 0 : s.getNumberReady();
        int updated = s.getUpdatedNumberScheduled() == null ? 0 : s.getUpdatedNumberScheduled();
        if (ready < desired || updated < desired) {
            return "DaemonSet nfvlab-agent: " + ready + "/" + desired + " agents ready, " + updated + "/" + desired + " current";
        }
        return null;
    }

    /**
     * Every node in {@code agentNodes} has its agent registered: the Node exists, and the node's Lease is held and was
     * renewed within its duration at {@code now} (agents write nothing on their Node: the Lease is the registration).
     */
    static String agentsPending(Collection<String> agentNodes, Map<String, Node> nodes, Map<String, Lease> leases, Instant now) {
        if (agentNodes.isEmpty()) {
            return "no node runs an agent";
        }
        List<String> missing = new ArrayList<>();
        for (String name : agentNodes.stream().sorted().toList()) {
            if (!nodes.containsKey(name)) {
                missing.add(name + " (no such Node)");
                continue;
            }
            Lease lease = leases.get(name);
            if (lease == null || lease.getSpec() == null || blank(lease.getSpec().getHolderIdentity())) {
                missing.add(name + " (no agent holds the Lease " + Nfvlab.AGENT_LEASE_PREFIX + name + ")");
                continue;
            }
            ZonedDateTime renewed = lease.getSpec().getRenewTime();
            Integer seconds = lease.getSpec().getLeaseDurationSeconds();
            if (renewed == null || seconds == null || renewed.toInstant().plusSeconds(seconds).isBefore(now)) {
                missing.add(name + " (the Lease " + Nfvlab.AGENT_LEASE_PREFIX + name + " was last renewed " + renewed + ")");
            }
        }
        return missing.isEmpty() ? null : "agents not registered on " + String.join(", ", missing);
    }

    /** Ready=True for the topology's current generation. */
    static String topologyPending(VirtualTopology topology) {
        if (topology == null) {
            return "the topology does not exist";
        }
        String name = topology.getMetadata().getName();
        var status = topology.getStatus();
        if (status == null) {
            return name + ": no status yet (is the operator running?)";
        }
        var ready = Conditions.find(status.getConditions(), Conditions.READY).orElse(null);
        if (ready != null && "InvalidSpec".equals(ready.getReason())) {
            throw new AssertionError(name + " was refused: " + ready.getMessage());
        }
        if (ready == null || !Conditions.TRUE.equals(ready.getStatus())
                || !Objects.equals(status.getObservedGeneration(), topology.getMetadata().getGeneration())) {
            return name + ": Ready=" + (ready == null ? "absent" : ready.getStatus() + " (" + ready.getReason() + ": " + ready.getMessage() + ")")
                    + ", hosts " + status.getHosts() + ", links " + status.getLinks();
        }
        return null;
    }

    /** Every test Succeeded with results in its status; one that Failed ends the wait with its summary. */
    static String testsPending(List<TrafficTest> tests) {
        if (tests.isEmpty()) {
            return "no traffic test exists";
        }
        List<String> pending = new ArrayList<>();
        for (TrafficTest t : tests) {
            String name = t.getMetadata().getName();
            TrafficTestStatus s = t.getStatus();
            TrafficTestStatus.Phase phase = s == null ? null : s.getPhase();
            if (phase == TrafficTestStatus.Phase.FAILED) {
                throw new AssertionError("TrafficTest " + name + " Failed: " + s.getMessage() + (s.getSummary() == null ? "" : " — " + s.getSummary()));
            }
            if (phase != TrafficTestStatus.Phase.SUCCEEDED) {
                pending.add(name + " " + (phase == null ? "without a phase" : phase.toString()) + (s == null || s.getMessage() == null ? "" : " (" + s.getMessage() + ")"));
            } else if (s.getResults() == null || s.getResults().isEmpty() || blank(s.getSummary())) {
                pending.add(name + " Succeeded without results or summary in its status");
            }
        }
        return pending.isEmpty() ? null : String.join("; ", pending);
    }

    /** What uninstall must have removed: nfvlab CRDs, the system namespace, any nfvlab.io/ label or annotation on a node. */
    static String leftovers(Collection<String> crds, boolean systemNamespaceExists, Collection<Node> nodes) {
        List<String> left = new ArrayList<>();
        crds.stream().filter(c -> c.endsWith("." + Nfvlab.GROUP)).sorted().forEach(c -> left.add("CRD " + c));
        if (systemNamespaceExists) {
            left.add("the system namespace");
        }
        for (Node n : nodes) {
            nfvlabKeys(n.getMetadata().getLabels()).forEach(k -> left.add("label " + k + " on node " + n.getMetadata().getName()));
            nfvlabKeys(n.getMetadata().getAnnotations()).forEach(k -> left.add("annotation " + k + " on node " + n.getMetadata().getName()));
        }
        return left.isEmpty() ? null : String.join(", ", left);
    }

    private static List<String> nfvlabKeys(Map<String, String> map) {
        return map == null ? List.of() : map.keySet().stream().filter(k -> k.startsWith(Nfvlab.GROUP + "/")).sorted().toList();
    }

    private static String conditionText(List<String> conditions) {
        return conditions == null || conditions.isEmpty() ? "" : " (" + String.join("; ", conditions) + ")";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
