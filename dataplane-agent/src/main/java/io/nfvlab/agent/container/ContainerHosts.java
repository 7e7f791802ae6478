package io.nfvlab.agent.container;

import io.nfvlab.api.common.Hashes;
import io.nfvlab.api.node.KernelNames;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus.ItemError;
import io.nfvlab.api.node.PlannedContainer;
import io.nfvlab.api.node.PlannedHost;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.PodTemplate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The container side of container hosts, run before the kernel planner: each container host's container is started
 * (template) or found (podRef), and its network namespace named as the host's namespace; from there on the planner
 * builds links into it as into any host namespace. A host whose container cannot run (image missing, exited, no
 * runtime) is taken out of the spec the planner sees, so that its half-built links are removed, and is reported
 * against the host and each of its links; the rest of the topology is built as usual.
 * <p>
 * Containers this agent starts are named like the host's namespace (nfv-&lt;token&gt;-&lt;host&gt;) and labelled
 * {@value #OWNER_LABEL}, {@value #NODE_LABEL}, {@value #HOST_LABEL} and {@value #SPEC_LABEL} (a hash of what was
 * asked, so that a changed template replaces the container). Teardown and the orphan sweep remove exactly those.
 */
public final class ContainerHosts {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContainerHosts.class);
    public static final String OWNER_LABEL = "nfvlab.io/owner";
    public static final String NODE_LABEL = "nfvlab.io/node";
    public static final String HOST_LABEL = "nfvlab.io/host";
    public static final String SPEC_LABEL = "nfvlab.io/spec";

    private final String node;
    private final ContainerRuntime runtime;
    private final NetnsAttacher netns;
    private final ExecutorService pool;
    private volatile Boolean available;

    public ContainerHosts(String node, ContainerRuntime runtime, NetnsAttacher netns, ExecutorService pool) {
        this.node = node;
        this.runtime = runtime;
        this.netns = netns;
        this.pool = pool;
    }

    /**
     * @param spec        what the planner gets: the plan without the container hosts that cannot run, and their links
     * @param errors      why, against hosts/… and links/… (tunnels/…)
     * @param reattached  true when a namespace name moved to a restarted container: earlier observations are stale
     */
    public record Prepared(NetworkNodeStateSpec spec, List<ItemError> errors, boolean reattached) {
    }

    public static boolean hasContainerHosts(NetworkNodeStateSpec spec) {
        return spec.hostsOrEmpty().stream().anyMatch(PlannedHost::isContainerHost);
    }

    public Prepared prepare(String token, NetworkNodeStateSpec spec) {
        if (!hasContainerHosts(spec)) {
            return new Prepared(spec, List.of(), false);
        }
        Map<String, String> broken = new TreeMap<>();
        boolean reattached = false;
        if (!runtimeAvailable()) {
            spec.hostsOrEmpty().stream().filter(PlannedHost::isContainerHost).forEach(h -> broken.put(h.getName(),
                    "node " + node + " has no container runtime (podman) for container host " + h.getName()));
        } else {
            Map<String, ContainerRuntime.Container> ours = new LinkedHashMap<>();
            try {
                for (ContainerRuntime.Container c : runtime.list(OWNER_LABEL, token)) {
                    if (node.equals(c.labels().get(NODE_LABEL))) {
                        ours.put(c.labels().get(HOST_LABEL), c);
                    }
                }
            } catch (ContainerRuntime.RuntimeFailure e) {
                spec.hostsOrEmpty().stream().filter(PlannedHost::isContainerHost)
                        .forEach(h -> broken.put(h.getName(), "cannot list containers: " + e.getMessage()));
            }
            String podNamespace = spec.getOwner() == null ? null : spec.getOwner().getNamespace();
            List<PlannedHost> hosts = spec.hostsOrEmpty().stream()
                    .filter(h -> h.isContainerHost() && !broken.containsKey(h.getName())).toList();
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (PlannedHost h : hosts) {
                outcomes.add(pool.submit(() -> ensure(token, podNamespace, h, ours.get(h.getName()))));
            }
            for (int i = 0; i < hosts.size(); i++) {
                Outcome o = await(outcomes.get(i));
                if (o.problem() != null) {
                    broken.put(hosts.get(i).getName(), o.problem());
                }
                reattached |= o.reattached();
            }
            // containers of this owner whose host left the plan
            Set<String> planned = new HashSet<>();
            spec.hostsOrEmpty().stream().filter(PlannedHost::isContainerHost).forEach(h -> planned.add(h.getName()));
            removeQuietly(ours.entrySet().stream().filter(e -> !planned.contains(e.getKey())).map(e -> e.getValue().name()).toList());
        }
        if (broken.isEmpty()) {
            return new Prepared(spec, List.of(), reattached);
        }
        return new Prepared(without(spec, broken.keySet()), errors(spec, broken), reattached);
    }

    /** Removes the containers this agent started for {@code token} (referenced pods stay: only their links go). */
    public void teardown(String token, NetworkNodeStateSpec spec) {
        if (spec != null && !hasContainerHosts(spec) || !runtimeAvailable()) {
            return;
        }
        try {
            removeQuietly(runtime.list(OWNER_LABEL, token).stream().filter(c -> node.equals(c.labels().get(NODE_LABEL)))
                    .map(ContainerRuntime.Container::name).toList());
        } catch (ContainerRuntime.RuntimeFailure e) {
            LOG.warn("teardown of {}: cannot list its containers: {}", token, e.getMessage());
        }
    }

    /** Removes containers of this node whose owner is not live (left by a crashed agent); returns their owners. */
    public Set<String> sweep(Set<String> liveTokens) {
        Set<String> swept = new HashSet<>();
        if (!runtimeAvailable()) {
            return swept;
        }
        try {
            List<String> orphans = new ArrayList<>();
            for (ContainerRuntime.Container c : runtime.list(NODE_LABEL, node)) {
                String owner = c.labels().get(OWNER_LABEL);
                if (owner != null && !liveTokens.contains(owner)) {
                    orphans.add(c.name());
                    swept.add(owner);
                }
            }
            removeQuietly(orphans);
        } catch (ContainerRuntime.RuntimeFailure e) {
            LOG.warn("orphan sweep: cannot list containers: {}", e.getMessage());
        }
        return swept;
    }

    /** The container that is host {@code host} of owner {@code token}: its own name, or the podRef. */
    public static String containerName(String token, PlannedHost h) {
        PlannedContainer c = h.getContainer();
        return c != null && c.getPodRef() != null ? c.getPodRef() : KernelNames.hostNetns(token, h.getName());
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    private record Outcome(String problem, boolean reattached) {
        static Outcome ok(boolean reattached) {
            return new Outcome(null, reattached);
        }

        static Outcome failed(String problem) {
            return new Outcome(problem, false);
        }
    }

    private Outcome ensure(String token, String podNamespace, PlannedHost h, ContainerRuntime.Container existing) {
        String ns = h.getNetns();
        String name = containerName(token, h);
        try {
            ContainerRuntime.Container c;
            if (h.getContainer().getPodRef() != null) {
                Optional<ContainerRuntime.Container> found = runtime.inspectPod(podNamespace, name);
                if (found.isEmpty()) {
                    return Outcome.failed("pod " + name + " of host " + h.getName() + " does not exist on node " + node);
                }
                c = found.get();
            } else {
                ContainerRuntime.RunSpec run = runSpec(token, h, name);
                if (existing != null && !run.labels().get(SPEC_LABEL).equals(existing.labels().get(SPEC_LABEL))) {
                    runtime.remove(List.of(existing.name())); // the template changed: a new container
                    existing = null;
                }
                if (existing == null) {
                    runtime.run(run);
                    c = runtime.inspect(name).orElseThrow(() -> new ContainerRuntime.RuntimeFailure(
                            "container " + name + " vanished right after it started"));
                } else {
                    c = existing;
                }
            }
            java.nio.file.Path sandbox = runtime.netnsOf(c);
            if (!c.running() || sandbox == null) {
                return notRunning(h, c);
            }
            if (netns.attachedTo(ns, sandbox)) {
                return Outcome.ok(false);
            }
            // absent, or the name still points at the namespace of the container before it restarted
            boolean stale = netns.exists(ns);
            netns.detach(ns);
            try {
                netns.attach(ns, sandbox);
            } catch (ContainerRuntime.RuntimeFailure e) {
                // most often the container ended in between: say so rather than how naming its namespace failed
                Optional<ContainerRuntime.Container> now = runtime.inspect(name);
                if (now.isPresent() && !now.get().running()) {
                    return notRunning(h, now.get());
                }
                throw e;
            }
            if (stale) {
                LOG.info("host {} of {}: container {} restarted; its links are rebuilt", h.getName(), token, name);
            }
            return Outcome.ok(true);
        } catch (ContainerRuntime.RuntimeFailure e) {
            return Outcome.failed("host " + h.getName() + ": " + e.getMessage());
        }
    }

    private static Outcome notRunning(PlannedHost h, ContainerRuntime.Container c) {
        return Outcome.failed("the container " + c.name() + " of host " + h.getName() + " is not running"
                + (c.exitCode() == null ? "" : " (exited with code " + c.exitCode() + ")"));
    }

    private ContainerRuntime.RunSpec runSpec(String token, PlannedHost h, String name) {
        PodTemplate t = h.getContainer().getTemplate();
        Map<String, String> env = new LinkedHashMap<>();
        t.envOrEmpty().forEach(e -> env.put(e.getName(), e.getValue() == null ? "" : e.getValue()));
        Map<String, String> sysctls = new LinkedHashMap<>();
        t.sysctlsOrEmpty().forEach(e -> sysctls.put(e.getName(), e.getValue()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(OWNER_LABEL, token);
        labels.put(NODE_LABEL, node);
        labels.put(HOST_LABEL, h.getName());
        labels.put(SPEC_LABEL, Hashes.sha256Hex(String.valueOf(t)).substring(0, 16));
        return new ContainerRuntime.RunSpec(name, t.getImage(), t.commandOrEmpty(), t.argsOrEmpty(), env, sysctls,
                t.capabilitiesOrEmpty(), Boolean.TRUE.equals(t.getPrivileged()), labels);
    }

    private boolean runtimeAvailable() {
        Boolean a = available;
        if (a == null || !a) {
            // asked again while absent: podman may be installed after the agent started
            a = runtime.available();
            available = a;
        }
        return a;
    }

    private void removeQuietly(List<String> names) {
        try {
            runtime.remove(names);
        } catch (ContainerRuntime.RuntimeFailure e) {
            LOG.warn("cannot remove containers {}: {}", names, e.getMessage());
        }
    }

    private static Outcome await(Future<Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return Outcome.failed(String.valueOf(e.getCause()));
        }
    }

    private static NetworkNodeStateSpec without(NetworkNodeStateSpec spec, Set<String> hosts) {
        return spec.toBuilder()
                .clearHosts().hosts(spec.hostsOrEmpty().stream().filter(h -> !hosts.contains(h.getName())).toList())
                .clearLinks().links(spec.linksOrEmpty().stream().filter(l -> !touches(l, hosts)).toList())
                .clearTunnels().tunnels(spec.tunnelsOrEmpty().stream()
                        .filter(t -> t.getEndpoint() == null || !hosts.contains(t.getEndpoint().getNode())).toList())
                .build();
    }

    private static boolean touches(PlannedLink l, Set<String> hosts) {
        return hosts.contains(l.getA().getNode()) || hosts.contains(l.getB().getNode());
    }

    private static List<ItemError> errors(NetworkNodeStateSpec spec, Map<String, String> broken) {
        List<ItemError> out = new ArrayList<>();
        broken.forEach((host, why) -> out.add(new ItemError("hosts/" + host, why)));
        for (PlannedLink l : spec.linksOrEmpty()) {
            String host = broken.containsKey(l.getA().getNode()) ? l.getA().getNode()
                    : broken.containsKey(l.getB().getNode()) ? l.getB().getNode() : null;
            if (host != null) {
                out.add(new ItemError("links/" + l.getId(), "not built: container host " + host + " is not running"));
            }
        }
        for (PlannedTunnel t : spec.tunnelsOrEmpty()) {
            if (t.getEndpoint() != null && broken.containsKey(t.getEndpoint().getNode())) {
                out.add(new ItemError("tunnels/" + t.getId(), "not built: container host " + t.getEndpoint().getNode()
                        + " is not running"));
            }
        }
        return out;
    }
}
