package io.nfvlab.operator.nodestate;

import io.nfvlab.api.node.PlanEquality;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.plan.NodeStateShards;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The one writer of the operator's NetworkNodeStates: given the desired spec per node of one owner (a
 * VirtualTopology, TrafficTest or DpdkBridge), it creates, updates and deletes that owner's states, names and labels
 * them, and keeps its informer cache current. One per reconciler, made in {@code prepareEventSources}.
 *
 * <p>Why not JOSDK's bulk dependent resource: the desired states come out of the reconcile itself (validation and
 * placement decide first whether there is a plan at all, and a TrafficTest publishes twice in one reconcile — its
 * servers go once the clients are done); a state whose plan differs only in the owner's generation must not be
 * written; a real cluster gets server-side apply while the in-process API server needs JSON patches that keep the
 * agent's status and finalizer ({@link NodeStateWriter}); and states are cluster-scoped while two of the owners are
 * namespaced, so no owner reference or garbage collection applies. A dependent would need all of that overridden.
 */
public final class NodeStatePublisher<P extends HasMetadata> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatePublisher.class);

    private final String kind;
    private final KubernetesClient client;
    private final NodeStateWriter writer;
    private final OwnerTokens tokens;
    private final InformerEventSource<NetworkNodeState, P> states;

    private NodeStatePublisher(String kind, KubernetesClient client, NodeStateWriter writer,
                               OwnerTokens tokens, InformerEventSource<NetworkNodeState, P> states) {
        this.kind = kind;
        this.client = client;
        this.writer = writer;
        this.tokens = tokens;
        this.states = states;
    }

    /**
     * A publisher for owners of {@code kind}, with an informer (named {@code informerName}, to be returned from
     * {@code prepareEventSources}) over their states that maps each state back to its owner by labels.
     */
    public static <P extends HasMetadata> NodeStatePublisher<P> create(EventSourceContext<P> context, Class<P> primaryClass,
                                                                       String kind, String informerName,
                                                                       NodeStateWriter writer, OwnerTokens tokens) {
        InformerEventSource<NetworkNodeState, P> states = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(NetworkNodeState.class, primaryClass)
                .withName(informerName)
                .withLabelSelector(Nfvlab.OWNER_KIND_LABEL + "=" + kind)
                .withSecondaryToPrimaryMapper(s -> ownerOf(s).map(Set::of).orElse(Set.of()))
                .build(), context);
        return new NodeStatePublisher<>(kind, context.getClient(), writer, tokens, states);
    }

    /** The informer over this kind's states, for {@code prepareEventSources}. */
    public InformerEventSource<NetworkNodeState, P> eventSource() {
        return states;
    }

    /**
     * The owner reference the states of {@code primary} carry: its identity, generation and kernel-name token (the one
     * it holds, or one allocated now: {@link OwnerTokens}).
     *
     * @throws OwnerTokens.NoFreeToken when every token the owner could hold is held by another owner
     */
    public OwnerRef ownerRef(P primary) {
        String namespace = primary.getMetadata().getNamespace();
        String name = primary.getMetadata().getName();
        Long generation = primary.getMetadata().getGeneration();
        return OwnerRef.builder()
                .kind(kind)
                .namespace(namespace)
                .name(name)
                .uid(primary.getMetadata().getUid())
                .generation(generation == null ? 0L : generation)
                .token(tokens.tokenOf(kind, primary, publishedToken(primary)))
                .build();
    }

    /** The token the owner's published states carry (the one it was given), or null before the first publish. */
    private String publishedToken(P primary) {
        return published(primary).values().stream()
                .map(s -> s.getSpec().getOwner() == null ? null : s.getSpec().getOwner().getToken())
                .filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
    }

    /** Gives the owner's token back; only once every state is gone (the agents tore down what the token named). */
    public void releaseToken(P primary) {
        tokens.release(kind, primary);
    }

    /**
     * The states of {@code primary} in the cache, by node: a node whose plan is split into parts gets one view of
     * them ({@link SplitStateView}), whose spec is the node's whole plan.
     */
    public Map<String, NetworkNodeState> published(P primary) {
        Map<String, List<NetworkNodeState>> byNode = new TreeMap<>();
        states.getSecondaryResources(primary).forEach(s -> {
            if (s.getSpec() != null) {
                byNode.computeIfAbsent(s.getSpec().getNodeName(), n -> new ArrayList<>()).add(s);
            }
        });
        Map<String, NetworkNodeState> views = new TreeMap<>();
        byNode.forEach((node, parts) -> views.put(node, SplitStateView.of(parts)));
        return views;
    }

    /** The cached states of every owner of this kind that {@code filter} accepts. */
    public Stream<NetworkNodeState> all(Predicate<NetworkNodeState> filter) {
        return states.list(filter);
    }

    /**
     * Brings the states of {@code primary} to {@code desired} (spec per node): splits each node's plan into parts that
     * fit in an object ({@link NodeStateShards}), writes each part whose plan or labels changed, and deletes the states
     * no longer desired (nodes gone, parts a plan no longer has). A part whose plan differs only in the owner's
     * generation is not written. Returns each desired node's states as they are now, seen as one
     * ({@link SplitStateView}).
     *
     * @throws io.nfvlab.api.plan.PlacementException when one item of a plan alone passes the budget
     */
    public Map<String, NetworkNodeState> publish(P primary, Map<String, NetworkNodeStateSpec> desired) {
        OwnerRef owner = ownerRef(primary);
        Map<String, NetworkNodeState> existing = new HashMap<>();
        states.getSecondaryResources(primary).forEach(s -> existing.put(s.getMetadata().getName(), s));
        ResourceID id = ResourceID.fromResource(primary);
        Map<String, NetworkNodeState> current = new TreeMap<>();
        Set<String> wanted = new HashSet<>();
        desired.forEach((node, spec) -> {
            List<NetworkNodeStateSpec> parts = NodeStateShards.split(spec);
            List<NetworkNodeState> written = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                String name = KernelNames.nodeStateName(kind, owner.getNamespace(), owner.getName(), node, i);
                wanted.add(name);
                written.add(write(id, owner, node, name, parts.get(i), existing.get(name)));
            }
            current.put(node, SplitStateView.of(written));
        });
        existing.forEach((name, state) -> {
            if (!wanted.contains(name) && state.getMetadata().getDeletionTimestamp() == null) {
                writer.delete(state);
            }
        });
        return current;
    }

    private NetworkNodeState write(ResourceID id, OwnerRef owner, String node, String name, NetworkNodeStateSpec spec,
                                   NetworkNodeState old) {
        Map<String, String> labels = labelsOf(owner, node);
        // parts of one plan compare by its hash: normalizing half a megabyte of JSON per part and reconcile costs more
        boolean samePlan = old != null && (spec.getShard() != null ? NodeStateShards.samePart(spec, old.getSpec())
                : PlanEquality.samePlan(spec, old.getSpec()));
        if (samePlan && old.getMetadata().getLabels() != null
                && old.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())) {
            return old;
        }
        NetworkNodeState written = writer.write(desiredState(owner, node, name, spec), old);
        if (old == null) {
            states.handleRecentResourceCreate(id, written);
        } else {
            states.handleRecentResourceUpdate(id, written, old);
        }
        LOG.debug("{} node state {}", old == null ? "created" : "updated", written.getMetadata().getName());
        return written;
    }

    /** The states of {@code primary} as the API server has them: deletion waits on this, not on the cache. */
    public List<NetworkNodeState> onServer(P primary) {
        var query = client.resources(NetworkNodeState.class)
                .withLabel(Nfvlab.OWNER_KIND_LABEL, kind)
                .withLabel(Nfvlab.OWNER_NAME_LABEL, primary.getMetadata().getName());
        if (primary.getMetadata().getNamespace() != null) {
            query = query.withLabel(Nfvlab.OWNER_NAMESPACE_LABEL, primary.getMetadata().getNamespace());
        }
        return query.list().getItems();
    }

    /** Deletes a state (its agent's finalizer, if any, holds it until the agent has torn down). */
    public void delete(NetworkNodeState state) {
        writer.delete(state);
    }

    /** Deletes every state of {@code primary} not already being deleted; returns how many still exist. */
    public int withdraw(P primary) {
        List<NetworkNodeState> found = onServer(primary);
        for (NetworkNodeState state : found) {
            if (state.getMetadata().getDeletionTimestamp() == null) {
                writer.delete(state);
            }
        }
        return found.size();
    }

    private NetworkNodeState desiredState(OwnerRef owner, String node, String name, NetworkNodeStateSpec spec) {
        // the agent releases its finalizer once it has torn down (or stopped a test's job). Set here, not left to the
        // agent's controller, which puts it on every state it sees: a state deleted before the agent saw it is still
        // torn down, and the agent's first sight of a state is its reconcile rather than an update that adds the
        // finalizer (≈10 ms before a test's pings begin). No agent to release it: NodeStateWithdrawal does
        ObjectMetaBuilder metadata = new ObjectMetaBuilder()
                .withName(name)
                .withLabels(labelsOf(owner, node))
                .withFinalizers(Nfvlab.AGENT_FINALIZER);
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(metadata.build());
        state.setSpec(spec);
        return state;
    }

    /** The agent selects its states by the node label; the owner labels map a state back to its owner. */
    private Map<String, String> labelsOf(OwnerRef owner, String node) {
        Map<String, String> labels = new HashMap<>();
        labels.put(Nfvlab.NODE_LABEL, node);
        labels.put(Nfvlab.OWNER_KIND_LABEL, kind);
        if (owner.getNamespace() != null) {
            labels.put(Nfvlab.OWNER_NAMESPACE_LABEL, owner.getNamespace());
        }
        labels.put(Nfvlab.OWNER_NAME_LABEL, owner.getName());
        return Map.copyOf(labels);
    }

    private static Optional<ResourceID> ownerOf(NetworkNodeState state) {
        Map<String, String> labels = state.getMetadata().getLabels();
        if (labels == null || labels.get(Nfvlab.OWNER_NAME_LABEL) == null) {
            return Optional.empty();
        }
        return Optional.of(new ResourceID(labels.get(Nfvlab.OWNER_NAME_LABEL), labels.get(Nfvlab.OWNER_NAMESPACE_LABEL)));
    }
}
