package io.nfvlab.agent;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.kernel.Dataplane;
import io.nfvlab.agent.ovsdpdk.DpdkBridges;
import io.nfvlab.agent.traffic.TrafficJobs;
import io.nfvlab.api.Nfvlab;
import lombok.Builder;
import lombok.Value;

import java.time.Duration;

/** Settings of one agent. Only {@code nodeName} is required. */
@Value
@Builder(toBuilder = true)
public class AgentConfig {
    /** The Kubernetes node this agent serves; it watches NetworkNodeStates labelled nfvlab.io/node=&lt;nodeName&gt;. */
    String nodeName;
    /** Address VXLAN tunnels to this node use; published as the nfvlab.io/underlay-ip annotation (null: none). */
    String underlayAddress;
    /** Where topologies are built: {@code LinuxKernel.dataplane()} (default), or an in-memory kernel in tests. */
    @Builder.Default
    Dataplane dataplane = LinuxKernel.dataplane();
    /**
     * True against the embedded (mock) API server: no server-side apply, and the Node object is created when
     * missing. Keep false on real clusters.
     */
    boolean embedded;
    /** Port of /metrics, /healthz, /readyz: 0 = no HTTP server, -1 = a free port (see {@link Agent#metricsPort()}). */
    int metricsPort;
    /** IP address /metrics, /healthz, /readyz bind to; null: every address. */
    String metricsAddress;
    /**
     * Export per-link counters ({@code nfvlab_link_*}: six series per link). Switch off for topologies of thousands of
     * links, where they would dominate the Prometheus series count.
     */
    @Builder.Default
    boolean linkMetrics = true;
    /** Namespace of the agent's Lease. */
    @Builder.Default
    String systemNamespace = Nfvlab.DEFAULT_SYSTEM_NAMESPACE;
    /** Runs traffic jobs; null: the agent reports them as Failed (unsupported). */
    TrafficJobs trafficJobs;
    /** Realizes DPDK bridges; null: the agent reports them as item errors (unsupported). */
    DpdkBridges dpdkBridges;
    /**
     * Null: objects of the node's root namespace are created in the real root namespace. Otherwise they go into this
     * existing network namespace, which stands in for a separate node (Linux bridges only: OVS ports live in the
     * real root namespace).
     */
    String nodeNetns;
    /** How often a synced state is checked again to repair drift. */
    @Builder.Default
    Duration resyncInterval = Duration.ofSeconds(10);
    /**
     * How often the state is reconciled while a traffic result is Running, to publish the jobs' progress messages; a
     * job's result does not wait for it (a job's end wakes the state at once: TrafficJobs.onJobEnd).
     */
    @Builder.Default
    Duration trafficPollInterval = Duration.ofSeconds(2);
    /** Period of Lease renewal. */
    @Builder.Default
    Duration leaseRenewInterval = Duration.ofSeconds(5);
    /**
     * A reconcile running longer than this counts as stuck: the agent stops renewing its Lease (and reports not
     * ready) until it ends, so that the operator treats the node as gone. Longer than the slowest honest build.
     */
    @Builder.Default
    Duration stuckReconcileLimit = DEFAULT_STUCK_RECONCILE_LIMIT;
    public static final Duration DEFAULT_STUCK_RECONCILE_LIMIT = Duration.ofMinutes(3);
    /** Registry behind /metrics; null: the agent creates one. Pass one to share it with traffic jobs built first. */
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry meterRegistry;
    /**
     * The agent's own directory: every path a plan makes it create or delete (DPDK socket directories, vhost-user
     * sockets) must lie below it, or the plan is refused. Tests point it at a temporary directory.
     */
    @Builder.Default
    java.nio.file.Path runRoot = PlanCheck.DEFAULT_ROOT;
    /**
     * Where nfvlab's CNI records the pod sandboxes of container hosts on a cluster node (null: container hosts are not
     * pods here); a recorded or removed sandbox wakes the NetworkNodeStates of its pod's namespace.
     */
    io.nfvlab.agent.container.PodSandboxes podSandboxes;
    /**
     * Ask the container runtime at start whether it can run container hosts here and label the node with its answer
     * (placement puts container hosts only on such nodes). {@code nfvlab run} turns it off for a run that can have no
     * container host: `podman version` is a process whose CPU a short run on two cores waits for.
     */
    @Builder.Default
    boolean containerRuntimeProbe = true;
    /** Remove, at start, objects marked for this node whose owner has no NetworkNodeState any more. */
    @Builder.Default
    boolean sweepOrphansOnStart = true;
    /**
     * Runs once on the starting thread just before the agent first reads nfvlab resources (the orphan sweep, then its
     * watches), after the rest of its start (Lease, dataplane, Node): {@code nfvlab run} starts the agent while it
     * installs the CRDs and waits here until they exist, because a watch opened before its CRD misses events.
     * Default: nothing.
     */
    @Builder.Default
    Runnable beforeWatching = () -> { };
}
