package io.nfvlab.operator.topology;

import io.nfvlab.api.node.PlanEquality;
import io.fabric8.kubernetes.api.model.Condition;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.Endpoint;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.SyncReasons;
import io.nfvlab.api.topology.VirtualTopologyStatus;
import io.nfvlab.api.expansion.TopologyGraph;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Folds what the agents report into the topology's status. Pure. A node counts as synced when its state carries the
 * current plan, and its agent reports Synced for that state's current generation; the topology is Ready when every
 * planned node is synced. A node whose agent reports {@code OvsMissing} makes the topology {@code Ready=False} with
 * that reason, naming the node. Reconciling is True while a node is not synced or an agent reports errors (it retries
 * them); Stalled is True only for what {@link #notReady} is told cannot go on (an invalid spec, an unsatisfiable
 * placement).
 */
public final class StatusAggregator {
    public static final String REASON_READY = "Ready";
    public static final String REASON_PROGRESSING = "Progressing";
    public static final String REASON_APPLYING = "Applying";
    public static final String REASON_DEGRADED = "Degraded";
    public static final String REASON_NODE_ERRORS = "NodeErrors";
    public static final String REASON_NO_ERRORS = "NoErrors";
    public static final String REASON_INVALID_SPEC = "InvalidSpec";

    private StatusAggregator() {
    }

    /**
     * @param graph the expanded topology the plan was made from: its link count, and its host order (Mininet's), which
     *              {@code status.hostAddresses} keeps so that the CLI and the traffic planner need not expand again
     */
    public static VirtualTopologyStatus aggregate(long generation, TopologyGraph graph, Map<String, NetworkNodeStateSpec> plan,
                                                  Map<String, NetworkNodeState> actual, Map<String, Integer> vnis,
                                                  VirtualTopologyStatus previous, Clock clock) {
        int linksTotal = graph.links().size();
        List<VirtualTopologyStatus.NodeSummary> nodes = new ArrayList<>();
        Map<String, VirtualTopologyStatus.HostStatus> hostsByName = new HashMap<>();
        List<String> waiting = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> ovsMissing = new ArrayList<>();
        List<String> otherErrors = new ArrayList<>();
        int hostsTotal = 0;
        int hostsReady = 0;
        int localLinksReady = 0;
        int tunnelsReady = 0;
        for (Map.Entry<String, NetworkNodeStateSpec> e : plan.entrySet()) {
            String node = e.getKey();
            NetworkNodeStateSpec planned = e.getValue();
            NetworkNodeState state = actual.get(node);
            NetworkNodeStateStatus status = state == null ? null : state.getStatus();
            boolean synced = isSynced(planned, state);
            hostsTotal += planned.hostsOrEmpty().size();
            if (status != null) {
                hostsReady += capped(status.getHostsReady(), synced, planned.hostsOrEmpty().size());
                localLinksReady += capped(status.getLinksReady(), synced, planned.linksOrEmpty().size());
                tunnelsReady += capped(status.getTunnelsReady(), synced, planned.tunnelsOrEmpty().size());
            }
            String message = nodeMessage(status);
            boolean noOvs = status != null && Conditions.find(status.getConditions(), Conditions.SYNCED)
                    .filter(c -> SyncReasons.OVS_MISSING.equals(c.getReason())).isPresent();
            if (noOvs) {
                ovsMissing.add(message);   // the agent's message names its node and the switches that need OVS
            }
            if (status != null && status.getErrors() != null && !status.getErrors().isEmpty()) {
                NetworkNodeStateStatus.ItemError first = status.getErrors().get(0);
                String error = "node " + node + ": " + first.getItem() + ": " + first.getMessage()
                        + (status.getErrors().size() > 1 ? " (and " + (status.getErrors().size() - 1) + " more)" : "");
                errors.add(error);
                if (!noOvs) {
                    otherErrors.add(error);
                }
            }
            if (!synced) {
                waiting.add(node);
            }
            nodes.add(VirtualTopologyStatus.NodeSummary.builder()
                    .node(node)
                    .hosts(planned.hostsOrEmpty().size())
                    .links(planned.linksOrEmpty().size() + planned.tunnelsOrEmpty().size())
                    .synced(synced)
                    .observedGeneration(status == null ? null : status.getObservedGeneration())
                    .message(message)
                    .build());
            Map<String, Map<String, Endpoint>> vhostUserEnds = planned.hostsOrEmpty().stream().anyMatch(PlannedHost::isVhostUserHost)
                    ? vhostUserEnds(planned) : Collections.emptyMap();
            for (PlannedHost h : planned.hostsOrEmpty()) {
                PlannedHost.PlannedInterface first = h.interfacesOrEmpty().stream()
                        .filter(i -> i.getAddress() != null).findFirst().orElse(null);
                hostsByName.put(h.getName(), VirtualTopologyStatus.HostStatus.builder()
                        .name(h.getName())
                        .node(node)
                        .netns(h.getNetns())
                        .ip(first == null ? null : first.getAddress())
                        .mac(first == null ? null : first.getMac())
                        .vhostUser(h.isVhostUserHost() ? vhostUserEndpoints(h, vhostUserEnds) : null)
                        .build());
            }
        }
        List<VirtualTopologyStatus.HostStatus> hosts = new ArrayList<>();
        for (TopologyGraph.Host h : graph.hosts()) {
            VirtualTopologyStatus.HostStatus placed = hostsByName.get(h.name());
            if (placed != null) {
                // a host without links has no addressed interface, but still its address from the spec
                placed.setAddress(h.vhostUser() || h.ip() == null ? null : h.address());
                hosts.add(placed);
            }
        }
        int linksReady = Math.min(linksTotal, localLinksReady + tunnelsReady / 2);

        List<Condition> conditions = previous == null ? List.of() : previous.getConditions();
        if (!errors.isEmpty()) {
            String msg = String.join("; ", errors);
            // a node without Open vSwitch is the cluster's setup, not a failure of the agent: say which nodes lack it
            String readyReason = ovsMissing.isEmpty() ? REASON_DEGRADED : SyncReasons.OVS_MISSING;
            List<String> readyMessages = new ArrayList<>(ovsMissing);
            readyMessages.addAll(otherErrors);
            String readyMessage = ovsMissing.isEmpty() ? msg : String.join("; ", readyMessages);
            conditions = Conditions.set(conditions, Conditions.READY, Conditions.FALSE, readyReason, readyMessage, generation, clock);
            conditions = Conditions.set(conditions, Conditions.PROGRESSING, waiting.isEmpty() ? Conditions.FALSE : Conditions.TRUE,
                    waiting.isEmpty() ? REASON_DEGRADED : REASON_APPLYING, waitingMessage(waiting), generation, clock);
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.TRUE, REASON_NODE_ERRORS, msg, generation, clock);
            // the agents retry what failed: still reconciling, not stalled
            conditions = Conditions.stand(conditions, Conditions.Standing.RECONCILING, REASON_NODE_ERRORS, msg, generation, clock);
        } else if (waiting.isEmpty()) {
            String msg = hostsTotal + " hosts and " + linksTotal + " links on " + plan.size() + (plan.size() == 1 ? " node" : " nodes");
            conditions = Conditions.set(conditions, Conditions.READY, Conditions.TRUE, REASON_READY, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.PROGRESSING, Conditions.FALSE, REASON_READY, "", generation, clock);
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.FALSE, REASON_NO_ERRORS, "", generation, clock);
            conditions = Conditions.stand(conditions, Conditions.Standing.SETTLED, REASON_READY, msg, generation, clock);
        } else {
            String msg = waitingMessage(waiting);
            conditions = Conditions.set(conditions, Conditions.READY, Conditions.FALSE, REASON_PROGRESSING, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.PROGRESSING, Conditions.TRUE, REASON_APPLYING, msg, generation, clock);
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.FALSE, REASON_NO_ERRORS, "", generation, clock);
            conditions = Conditions.stand(conditions, Conditions.Standing.RECONCILING, REASON_APPLYING, msg, generation, clock);
        }

        return VirtualTopologyStatus.builder()
                .observedGeneration(generation)
                .conditions(conditions)
                .hosts(hostsReady + "/" + hostsTotal)
                .links(linksReady + "/" + linksTotal)
                .hostsReady(hostsReady)
                .hostsTotal(hostsTotal)
                .linksReady(linksReady)
                .linksTotal(linksTotal)
                .nodes(nodes)
                .hostAddresses(hosts)
                .tunnels(vnis.entrySet().stream()
                        .map(v -> VirtualTopologyStatus.TunnelAllocation.builder().link(v.getKey()).vni(v.getValue()).build())
                        .toList())
                .build();
    }

    /** A vhostUser host's ports, in the order of its interfaces: where a DPDK application attaches to it. */
    private static List<VirtualTopologyStatus.VhostUserEndpoint> vhostUserEndpoints(PlannedHost host, Map<String, Map<String, Endpoint>> ends) {
        List<VirtualTopologyStatus.VhostUserEndpoint> out = new ArrayList<>();
        Map<String, Endpoint> ofHost = ends.getOrDefault(host.getName(), Collections.emptyMap());
        for (PlannedHost.PlannedInterface i : host.interfacesOrEmpty()) {
            Optional.ofNullable(ofHost.get(i.getName()))
                    .ifPresent(e -> out.add(VirtualTopologyStatus.VhostUserEndpoint.builder()
                            .interfaceName(e.getInterfaceName())
                            .port(e.getDevice())
                            .bridge(e.getBridge())
                            .socketPath(e.getVhostUserSocket())
                            .build()));
        }
        return out;
    }

    /** The vhost-user ends of a node's links by host and interface name (the first link's, should two name one). */
    private static Map<String, Map<String, Endpoint>> vhostUserEnds(NetworkNodeStateSpec planned) {
        Map<String, Map<String, Endpoint>> out = new HashMap<>();
        for (PlannedLink l : planned.linksOrEmpty()) {
            Endpoint e = l.vhostUserEnd();
            if (e != null && e.getNode() != null && e.getInterfaceName() != null) {
                out.computeIfAbsent(e.getNode(), n -> new HashMap<>()).putIfAbsent(e.getInterfaceName(), e);
            }
        }
        return out;
    }

    /**
     * The status of a topology that cannot be planned now ({@code Ready=False} with {@code reason}); what the previous
     * status said about nodes, hosts and tunnels stays, since the node states that realize it stay too.
     */
    public static VirtualTopologyStatus notReady(long generation, String reason, String message, boolean progressing,
                                                 VirtualTopologyStatus previous, Clock clock) {
        return notReady(generation, reason, message, progressing ? Conditions.Standing.RECONCILING : Conditions.Standing.STALLED,
                previous, clock);
    }

    /**
     * As {@link #notReady(long, String, String, boolean, VirtualTopologyStatus, Clock)}, saying whether the topology
     * waits for something on its way ({@code RECONCILING}, e.g. a DpdkBridge applied in the same sync) or cannot go
     * on without a change ({@code STALLED}).
     */
    public static VirtualTopologyStatus notReady(long generation, String reason, String message, Conditions.Standing standing,
                                                 VirtualTopologyStatus previous, Clock clock) {
        boolean progressing = standing == Conditions.Standing.RECONCILING;
        VirtualTopologyStatus base = previous == null ? new VirtualTopologyStatus() : previous.toBuilder().build();
        List<Condition> conditions = base.getConditions();
        conditions = Conditions.set(conditions, Conditions.READY, Conditions.FALSE, reason, message, generation, clock);
        conditions = Conditions.set(conditions, Conditions.PROGRESSING, progressing ? Conditions.TRUE : Conditions.FALSE,
                reason, progressing ? message : "", generation, clock);
        if (Conditions.find(conditions, Conditions.DEGRADED).isEmpty()) {
            conditions = Conditions.set(conditions, Conditions.DEGRADED, Conditions.FALSE, REASON_NO_ERRORS, "", generation, clock);
        }
        conditions = Conditions.stand(conditions, standing, reason, message, generation, clock);
        base.setConditions(conditions);
        base.setObservedGeneration(generation);
        return base;
    }

    /** The node state carries {@code planned}, and its agent applied exactly that generation without error. */
    public static boolean isSynced(NetworkNodeStateSpec planned, NetworkNodeState state) {
        if (state == null || state.getStatus() == null) {
            return false;
        }
        NetworkNodeStateStatus status = state.getStatus();
        // the plans are compared last, as JSON trees (0.6 s of the 10,000-host tree's CPU went to comparing them): until
        // the agent has synced, the status's own fields already say "not yet"
        return Objects.equals(status.getObservedGeneration(), state.getMetadata().getGeneration())
                && Conditions.isTrue(status.getConditions(), Conditions.SYNCED)
                && (status.getErrors() == null || status.getErrors().isEmpty())
                && PlanEquality.samePlan(planned, state.getSpec());
    }

    private static int capped(Integer reported, boolean synced, int planned) {
        if (reported == null) {
            // an agent that reports no counts has realized everything once it is synced
            return synced ? planned : 0;
        }
        return Math.min(reported, planned);
    }

    private static String nodeMessage(NetworkNodeStateStatus status) {
        if (status == null) {
            return "agent has not reported yet";
        }
        return Conditions.find(status.getConditions(), Conditions.SYNCED).map(Condition::getMessage).orElse("");
    }

    private static String waitingMessage(List<String> waiting) {
        return waiting.isEmpty() ? "" : "waiting for the agent on " + String.join(", ", waiting);
    }
}
