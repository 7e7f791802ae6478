package io.nfvlab.agent;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nfvlab.agent.cni.AttachmentPublisher;
import io.nfvlab.agent.cni.CniPlugin;
import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.CniSocketServer;
import io.nfvlab.agent.cni.ContainerLocks;
import io.nfvlab.agent.cni.PodAnnotations;
import io.nfvlab.agent.cni.PodHostsCni;
import io.nfvlab.agent.container.KubeletPods;
import io.nfvlab.agent.container.PodSandboxes;
import io.nfvlab.agent.container.SandboxInterfaces;
import io.nfvlab.agent.ovsdpdk.OvsDpdkBridges;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.agent.traffic.testpmd.DpdkTestpmdTraffic;
import io.nfvlab.api.Nfvlab;
import lombok.Builder;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The agent with everything a node runs beside it, wired in one place: the kernel dataplane, traffic jobs (with the
 * DPDK testpmd runner), OVS-DPDK bridges and the CNI socket, sharing one meter registry. {@code AgentMain} (a node's
 * daemon) and the CLI's {@code nfvlab run} (an agent in its own JVM) both start it; where they differ, it is one of
 * these settings. {@link #close()} stops them in reverse order; the client stays open (its owner closes it).
 */
public final class NodeAgent implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeAgent.class);
    /** ping/fping processes at once within one job: the fan-out the traffic engineer measured for pingall. */
    public static final int DEFAULT_PING_PARALLELISM = 32;
    /** Traffic jobs running at once on a node (more wait in line). */
    public static final int DEFAULT_MAX_TRAFFIC_JOBS = 4;

    private final Agent agent;
    private final ProcessTrafficJobs traffic;
    private final CniSocketServer cni;

    private NodeAgent(Agent agent, ProcessTrafficJobs traffic, CniSocketServer cni) {
        this.agent = agent;
        this.traffic = traffic;
        this.cni = cni;
    }

    /**
     * @param client              the API server (not closed by the agent)
     * @param nodeName            the Kubernetes node served (required)
     * @param underlayAddress     VXLAN underlay address published for this node (null: none)
     * @param embedded            the API server is the in-process one (no server-side apply; the Node is created)
     * @param metricsPort         /metrics, /healthz, /readyz (0: off)
     * @param metricsAddress      the IP address they bind to (null: every address)
     * @param systemNamespace     namespace of the agent's Lease (null: the default)
     * @param nodeNetns           build the root-namespace objects in this namespace (another node emulated), or null
     * @param sweepOrphansOnStart remove objects of owners that are gone at start (never against an in-process server
     *                            that starts empty: everything on the machine would look orphaned)
     * @param traffic             run traffic jobs
     * @param dpdk                manage OVS-DPDK bridges and run testpmd jobs
     * @param pingParallelism     ping/fping processes at once within one job (0: {@link #DEFAULT_PING_PARALLELISM})
     * @param stuckReconcileLimit a reconcile running longer stops the Lease renewal (null: the default)
     * @param cniSocket           serve the nfvlab-cni executable's invocations on this unix socket (null: none)
     * @param annotatePods        also write each attachment into its pod's annotation (needs pod patch rights, which
     *                            the chart grants only when asked); off, the pod reads it from its shared directory
     * @param cniBinDir           the node's CNI bin directory as the agent sees it, checked once for the runtime's
     *                            plugins (a log line and an event on the Node when it has none); null: not checked
     * @param noLinkMetrics       export no per-link counters (large topologies: six series per link)
     * @param noContainerRuntime  do not ask the container runtime at start (the node gets no container-runtime label,
     *                            so no container host is placed here): for a run that can have none
     * @param podSandboxDir       container hosts here are Pods the kubelet runs (a cluster node): their sandboxes are
     *                            recorded in this directory by the pod-hosts network of the CNI socket (which must be
     *                            served); null: container hosts are podman containers the agent starts
     * @param cniRoots            the only directories the CNI plugin writes and deletes in, whatever a network
     *                            configuration names (null: {@link CniRoots#DEFAULT})
     * @param beforeWatching      run just before the agent first reads nfvlab resources (null: nothing; see
     *                            {@link AgentConfig#getBeforeWatching()})
     */
    @Builder(buildMethodName = "start")
    private static NodeAgent create(KubernetesClient client, String nodeName, String underlayAddress, boolean embedded,
                                    int metricsPort, String metricsAddress, String systemNamespace, String nodeNetns, boolean sweepOrphansOnStart,
                                    boolean traffic, boolean dpdk, int pingParallelism, Duration stuckReconcileLimit,
                                    Path cniSocket, boolean annotatePods, Path cniBinDir, boolean noLinkMetrics, boolean noContainerRuntime,
                                    Path podSandboxDir, CniRoots cniRoots, Runnable beforeWatching) {
        if (podSandboxDir != null && cniSocket == null) {
            throw new IllegalArgumentException("pod hosts need the CNI socket: the kubelet's CNI invocations are how the agent "
                    + "finds their network namespaces");
        }
        PodSandboxes sandboxes = podSandboxDir == null ? null : new PodSandboxes(podSandboxDir);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessTrafficJobs jobs = !traffic ? null : new ProcessTrafficJobs(registry, DEFAULT_MAX_TRAFFIC_JOBS,
                pingParallelism > 0 ? pingParallelism : DEFAULT_PING_PARALLELISM,
                dpdk ? DpdkTestpmdTraffic.forNode(client, nodeName) : null);
        Agent agent;
        try {
            agent = Agent.start(client, AgentConfig.builder()
                    .nodeName(nodeName)
                    .underlayAddress(underlayAddress)
                    .dataplane(sandboxes == null ? LinuxKernel.dataplane()
                            : LinuxKernel.dataplane(new KubeletPods(nodeName, sandboxes)))
                    .podSandboxes(sandboxes)
                    .embedded(embedded)
                    .metricsPort(metricsPort)
                    .metricsAddress(metricsAddress)
                    .linkMetrics(!noLinkMetrics)
                    .systemNamespace(systemNamespace != null ? systemNamespace : Nfvlab.DEFAULT_SYSTEM_NAMESPACE)
                    .nodeNetns(nodeNetns)
                    .meterRegistry(registry)
                    .trafficJobs(jobs)
                    .dpdkBridges(dpdk ? new OvsDpdkBridges() : null)
                    .sweepOrphansOnStart(sweepOrphansOnStart)
                    .containerRuntimeProbe(!noContainerRuntime)
                    .beforeWatching(beforeWatching != null ? beforeWatching : () -> { })
                    .stuckReconcileLimit(stuckReconcileLimit != null ? stuckReconcileLimit : AgentConfig.DEFAULT_STUCK_RECONCILE_LIMIT)
                    .build());
        } catch (RuntimeException e) {
            if (jobs != null) jobs.close();
            throw e;
        }
        CniSocketServer cni;
        try {
            CniSocketServer.Handler userspace = new CniPlugin(annotatePods ? new PodAnnotations(client)
                    : AttachmentPublisher.SHARED_DIR_ONLY, ContainerLocks.striped(64),
                    cniRoots != null ? cniRoots : CniRoots.DEFAULT)::execute;
            cni = cniSocket == null ? null : CniSocketServer.start(cniSocket, sandboxes == null ? userspace
                    : new PodHostsCni(sandboxes, new SandboxInterfaces(), ContainerLocks.striped(64)).before(userspace));
        } catch (RuntimeException e) {
            agent.close();
            if (jobs != null) jobs.close();
            throw e;
        }
        if (cniBinDir != null) {
            String problem = CniBinDir.problem(cniBinDir, nodeName);
            if (problem != null) {
                LOG.warn("{}", problem);
                NodeEvents.warning(client, systemNamespace != null ? systemNamespace : Nfvlab.DEFAULT_SYSTEM_NAMESPACE, nodeName, NodeEvents.CNI_BIN_DIR, problem);
            }
        }
        return new NodeAgent(agent, jobs, cni);
    }

    public Agent agent() {
        return agent;
    }

    /** Stops every running traffic job of this node at once (see {@link ProcessTrafficJobs#stopEverything}). */
    public void stopTrafficJobs(String why) {
        if (traffic != null) traffic.stopEverything(why);
    }

    /** The CNI socket this agent serves, or null. */
    public Path cniSocket() {
        return cni == null ? null : cni.path();
    }

    @Override
    public void close() {
        if (cni != null) cni.close();
        agent.close();
        if (traffic != null) traffic.close();
    }
}
