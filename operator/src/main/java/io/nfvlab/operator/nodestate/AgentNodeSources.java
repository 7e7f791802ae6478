package io.nfvlab.operator.nodestate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.plan.AgentNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which nodes may receive work, for every reconciler that places it: a node counts while its agent's Lease is live
 * ({@link AgentLeases}) and its Node exists. The agent publishes its underlay address on that Lease; the Node gives
 * only its labels (node selectors) and InternalIP (the default underlay). Nothing depends on a label an agent would
 * have to write on its Node, so nothing can outlive the agent or be written by another node's agent.
 * <p>
 * Every primary is woken when an agent appears, goes, stops or starts counting as live, or changes its underlay
 * address, and when a Node appears, goes or changes its labels or InternalIP; Lease renewals and Node heartbeats wake
 * nothing. A Lease going stale produces no event: reconcilers reschedule for {@link #untilALeaseGoesStale(Set)}.
 */
public final class AgentNodeSources<P extends HasMetadata> {
    private final InformerEventSource<Node, P> nodes;
    private final InformerEventSource<Lease, P> leases;
    private final String systemNamespace;
    private final Duration grace;
    private final Clock clock;

    private AgentNodeSources(InformerEventSource<Node, P> nodes, InformerEventSource<Lease, P> leases, String systemNamespace,
                             Duration grace, Clock clock) {
        this.nodes = nodes;
        this.leases = leases;
        this.systemNamespace = systemNamespace;
        this.grace = grace;
        this.clock = clock;
    }

    /** @param prefix distinguishes these informers from those of other controllers */
    public static <P extends HasMetadata> AgentNodeSources<P> create(EventSourceContext<P> context, Class<P> primary, String prefix,
                                                                    String systemNamespace, Duration grace, Clock clock) {
        var everyPrimary = (java.util.function.Function<Object, Set<ResourceID>>) ignored -> context.getPrimaryCache().list()
                .map(ResourceID::fromResource).collect(Collectors.toSet());
        InformerEventSource<Node, P> nodes = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Node.class, primary)
                .withName(prefix + "nodes")
                .withOnUpdateFilter((fresh, old) -> !Objects.equals(fresh.getMetadata().getLabels(), old.getMetadata().getLabels())
                        || !Objects.equals(internalIps(fresh), internalIps(old)))
                .withSecondaryToPrimaryMapper(everyPrimary::apply)
                .build(), context);
        InformerEventSource<Lease, P> leases = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Lease.class, primary)
                .withName(prefix + "agentleases")
                .withNamespaces(Set.of(systemNamespace))
                .withOnAddFilter(l -> AgentLeases.nodeOf(l) != null)
                .withOnUpdateFilter((fresh, old) -> AgentLeases.nodeOf(fresh) != null
                        && (live(fresh, grace, clock) != live(old, grace, clock)
                        || !Objects.equals(underlay(fresh), underlay(old))
                        // what the agent can run decides where container hosts may go (and whether they are Pods)
                        || !Objects.equals(runtime(fresh), runtime(old))))
                .withOnDeleteFilter((l, unknown) -> AgentLeases.nodeOf(l) != null)
                .withSecondaryToPrimaryMapper(everyPrimary::apply)
                .build(), context);
        return new AgentNodeSources<>(nodes, leases, systemNamespace, grace, clock);
    }

    public List<EventSource<?, P>> eventSources() {
        return List.of(nodes, leases);
    }

    /** Nodes whose agent counts as live, by name; every other agent Lease goes to {@code notLive} with the reason. */
    public Map<String, AgentNode> live(Map<String, String> notLive) {
        Map<String, AgentNode> result = new TreeMap<>();
        Instant now = Instant.now(clock);
        leases.list(systemNamespace, l -> AgentLeases.nodeOf(l) != null).forEach(lease -> {
            String name = AgentLeases.nodeOf(lease);
            Optional<String> why = AgentLeases.whyNotLive(name, lease, grace, now);
            Optional<Node> node = nodes.get(new ResourceID(name));
            if (why.isPresent()) {
                notLive.put(name, why.get());
            } else if (node.isEmpty()) {
                notLive.put(name, "node " + name + " has an agent lease but no Node object");
            } else {
                result.put(name, AgentNode.of(node.get(), lease));
            }
        });
        return result;
    }

    public Lease lease(String node) {
        return leases.get(new ResourceID(AgentLeases.name(node), systemNamespace)).orElse(null);
    }

    /** Time until the first Lease of these nodes goes stale unless renewed (a second late), or null for none. */
    public Duration untilALeaseGoesStale(Set<String> planNodes) {
        Instant now = Instant.now(clock);
        return planNodes.stream()
                .map(n -> AgentLeases.expiry(lease(n), grace))
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .map(e -> Duration.between(now, e).plusSeconds(1))
                .map(d -> d.isNegative() ? Duration.ofSeconds(1) : d)
                .orElse(null);
    }

    private static boolean live(Lease lease, Duration grace, Clock clock) {
        return AgentLeases.whyNotLive(AgentLeases.nodeOf(lease), lease, grace, Instant.now(clock)).isEmpty();
    }

    private static String runtime(Lease lease) {
        Map<String, String> annotations = lease.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Nfvlab.CONTAINER_RUNTIME_LABEL);
    }

    private static String underlay(Lease lease) {
        Map<String, String> annotations = lease.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Nfvlab.UNDERLAY_ANNOTATION);
    }

    private static List<String> internalIps(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return List.of();
        }
        return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).toList();
    }
}
