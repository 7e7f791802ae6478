package io.nfvlab.agent;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.runtime.Clients;
import io.nfvlab.agent.cni.CniRoots;
import io.nfvlab.agent.cni.CniSocketServer;
import io.nfvlab.agent.ovs.OvsdbClient;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.Nfvlab;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs the agent as a plain process: in-cluster, with a kubeconfig, or against an API server URL. */
@Command(name = "nfvlab-agent", mixinStandardHelpOptions = true, version = "nfvlab-agent 0.1.0",
        description = "Realizes this node's NetworkNodeStates (namespaces, veths, bridges, OVS, VXLAN, shaping) and reports their status.")
public final class AgentMain implements Callable<Integer> {
    @Option(names = "--kubeconfig", description = "kubeconfig file (default: in-cluster config, $KUBECONFIG or ~/.kube/config)")
    Path kubeconfig;

    @Option(names = "--master", description = "API server URL (overrides the kubeconfig's server; plain http for the embedded server)")
    String master;

    @Option(names = "--node", description = "Kubernetes node name (default: $NODE_NAME, else the host name)")
    String node;

    @Option(names = "--underlay", description = "underlay address of this node for VXLAN tunnels (published on the agent's Lease)")
    String underlay;

    @Option(names = "--metrics-port", defaultValue = "9102", description = "port of /metrics, /healthz, /readyz (0: off; default ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--metrics-address", defaultValue = "${env:NFVLAB_METRICS_ADDRESS}",
            description = "IP address /metrics, /healthz and /readyz bind to (default: $NFVLAB_METRICS_ADDRESS, else every address)")
    String metricsAddress;

    @Option(names = "--link-metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "export per-link counters nfvlab_link_* (six series per link; --no-link-metrics for large topologies)")
    boolean linkMetrics;

    @Option(names = "--system-namespace", defaultValue = Nfvlab.DEFAULT_SYSTEM_NAMESPACE, description = "namespace of the agent Lease (default ${DEFAULT-VALUE})")
    String systemNamespace;

    @Option(names = "--node-netns", description = "build the node's root-namespace objects in this network namespace (emulates another node)")
    String nodeNetns;

    @Option(names = "--embedded", description = "the API server is nfvlab's embedded (mock) server: no server-side apply; create the Node if missing")
    boolean embedded;

    @Option(names = "--no-sweep", description = "do not remove orphans (objects marked for this node whose owner is gone) at start")
    boolean noSweep;

    @Option(names = "--no-traffic", description = "do not run traffic jobs")
    boolean noTraffic;

    @Option(names = "--no-dpdk", description = "do not manage OVS-DPDK bridges")
    boolean noDpdk;

    @Option(names = "--cni-socket", description = "unix socket on which the agent runs the nfvlab-cni plugin's invocations (empty: none); default ${DEFAULT-VALUE}")
    String cniSocket = CniSocketServer.DEFAULT_SOCKET.toString();

    @Option(names = "--cni-shared-root", description = "the only directory below which the CNI plugin makes vhost-user socket "
            + "directories, whatever a network configuration's sharedDir says (default ${DEFAULT-VALUE})")
    Path cniSharedRoot = CniRoots.DEFAULT.shared();

    @Option(names = "--cni-state-root", description = "the only directory below which the CNI plugin keeps its attachment "
            + "records, whatever a network configuration's stateDir says (default ${DEFAULT-VALUE})")
    Path cniStateRoot = CniRoots.DEFAULT.state();

    @Option(names = "--cni-ipam-root", description = "the only directory below which host-local IPAM keeps its reservations, "
            + "whatever a network configuration's ipam.dataDir says; also its data directory when none is named (default ${DEFAULT-VALUE})")
    Path cniIpamRoot = CniRoots.DEFAULT.ipam();

    @Option(names = "--annotate-pods", description = "also write each vhost-user attachment into its pod's userspace/configuration-data "
            + "annotation (needs pod patch rights; off: the same data is only in the pod's shared socket directory)")
    boolean annotatePods;

    @Option(names = "--stuck-reconcile-limit", defaultValue = "PT3M",
            description = "a reconcile running longer counts as stuck: the Lease is not renewed until it ends, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration stuckReconcileLimit;

    @Option(names = "--cni-bin-dir", description = "the node's CNI bin directory (where nfvlab-cni is installed): checked at start "
            + "for the runtime's plugins, with a warning and an event on the Node when it has none (default: not checked)")
    Path cniBinDir;

    @Option(names = "--pod-hosts", description = "container hosts on this node are Pods the operator creates and the kubelet runs: "
            + "the agent publishes the container runtime 'kubelet' and finds each pod's network namespace through nfvlab-cni "
            + "invocations of the pod-hosts network (needs --cni-socket); records under /var/run/nfvlab/pods")
    boolean podHosts;

    @Option(names = "--ping-parallelism", description = "ping/fping processes at once within one traffic job (default ${DEFAULT-VALUE})")
    int pingParallelism = NodeAgent.DEFAULT_PING_PARALLELISM;

    public static void main(String[] args) {
        io.nfvlab.runtime.CommonPool.atLeastTwoWorkers();
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String nodeName = node != null ? node : System.getenv("NODE_NAME") != null ? System.getenv("NODE_NAME")
                : InetAddress.getLocalHost().getHostName();
        for (String tool : List.of("ip", "tc")) {
            if (CommandRunner.run(List.of(tool, "-V"), Duration.ofSeconds(5)).exitCode() == 127) {
                System.err.println("nfvlab-agent: " + tool + " is missing (install iproute2)");
                return 2;
            }
        }
        boolean ovsReachable;
        try (OvsdbClient ovsdb = new OvsdbClient(OvsdbClient.DEFAULT_SOCKET, Duration.ofSeconds(3))) {
            ovsReachable = ovsdb.reachable();
        }
        if (!ovsReachable) {
            System.err.println("nfvlab-agent: warning: OVS is not reachable (ovsdb-server/ovs-vswitchd not running); "
                    + "switches of kind ovs will report errors until it is started (scripts/setup-host.sh starts it)");
        }
        KubernetesClient client = Clients.client(config());
        NodeAgent node;
        try {
            node = NodeAgent.builder()
                    .client(client)
                    .nodeName(nodeName)
                    .underlayAddress(underlay)
                    .embedded(embedded)
                    .metricsPort(metricsPort)
                    .metricsAddress(metricsAddress == null || metricsAddress.isBlank() ? null : metricsAddress)
                    .noLinkMetrics(!linkMetrics)
                    .systemNamespace(systemNamespace)
                    .nodeNetns(nodeNetns)
                    .sweepOrphansOnStart(!noSweep)
                    .traffic(!noTraffic)
                    .dpdk(!noDpdk)
                    .pingParallelism(pingParallelism)
                    .stuckReconcileLimit(stuckReconcileLimit)
                    .cniSocket(cniSocket.isEmpty() ? null : Path.of(cniSocket))
                    .annotatePods(annotatePods)
                    .cniRoots(new CniRoots(cniSharedRoot.toAbsolutePath(), cniStateRoot.toAbsolutePath(), cniIpamRoot.toAbsolutePath()))
                    .cniBinDir(cniBinDir)
                    .podSandboxDir(podHosts ? PlanCheck.DEFAULT_ROOT.resolve("pods") : null)
                    .start();
        } catch (NodeHeldException e) {
            System.err.println("nfvlab-agent: " + e.getMessage());
            client.close();
            return 3;
        }
        int port = node.agent().metricsPort();
        System.err.println("nfvlab-agent: node " + nodeName + " ready" + (port > 0 ? ", metrics on " + (metricsAddress == null || metricsAddress.isBlank() ? "" : metricsAddress) + ":" + port : ""));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            client.close();
            done.countDown();
        }));
        done.await();
        return 0;
    }

    private Config config() throws IOException {
        Config base;
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--kubeconfig " + kubeconfig + " is not readable");
            }
            base = Clients.config(kubeconfig, null);
        } else if (master != null) {
            base = Config.empty();
        } else {
            base = Clients.config(null, null);
        }
        if (master == null) {
            return base;
        }
        return new ConfigBuilder(base).withMasterUrl(master).withNamespace("default").withTrustCerts(true).build();
    }
}
