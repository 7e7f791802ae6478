package io.nfvlab.operator;

import io.nfvlab.operator.controller.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.runtime.Clients;
import io.nfvlab.api.Nfvlab;
import io.nfvlab.api.plan.VniRange;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The operator as a plain process: against the cluster of the current kubeconfig (or {@code --kubeconfig}), or
 * in-cluster when run in a pod. Stops on SIGTERM/SIGINT.
 */
@Command(name = "nfvlab-operator", mixinStandardHelpOptions = true, version = "nfvlab-operator 0.1.0",
        subcommands = InstallCheck.class,
        description = "Reconciles nfvlab VirtualTopologies (and the other nfvlab resources) into per-node plans for the agents.")
public final class OperatorMain implements Callable<Integer> {
    @Option(names = "--kubeconfig", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)")
    String kubeconfig;

    @Option(names = "--context", description = "kubeconfig context to use")
    String context;

    @Option(names = "--metrics-port", defaultValue = "8080", description = "port of /metrics, /healthz, /readyz (0 off, -1 random; default ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--metrics-address", defaultValue = "${env:NFVLAB_METRICS_ADDRESS}",
            description = "IP address /metrics, /healthz and /readyz bind to (default: $NFVLAB_METRICS_ADDRESS, else every address)")
    String metricsAddress;

    @Option(names = "--system-namespace", defaultValue = Nfvlab.DEFAULT_SYSTEM_NAMESPACE,
            description = "namespace of the agent Leases and of the operator's leader Lease (default ${DEFAULT-VALUE})")
    String systemNamespace;

    @Option(names = "--node-gone-grace", defaultValue = "PT2M",
            description = "how long an agent may be silent before its node stops blocking deletions, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration nodeGoneGrace;

    @Option(names = "--embedded", description = "the API server is nfvlab's in-process one (no server-side apply)")
    boolean embedded;

    @Option(names = "--leader-election",
            description = "run only while holding the Lease nfvlab-operator in the system namespace, so that several "
                    + "replicas can run and one reconciles (the chart turns it on with more than one replica)")
    boolean leaderElection;

    @Option(names = "--reconcile-threads", defaultValue = "10", description = "reconciler threads (default ${DEFAULT-VALUE})")
    int reconcileThreads;

    @Option(names = "--underlay-mtu", defaultValue = "1500", description = "MTU between nodes; tunnelled links get 50 less (default ${DEFAULT-VALUE})")
    int underlayMtu;

    @Option(names = "--vni-range", defaultValue = "1048576-16777215", converter = VniRangeConverter.class, paramLabel = "MIN-MAX",
            description = "VXLAN network identifiers cross-node links get; the default stays clear of Flannel (1), Calico "
                    + "(4096, 4098) and Cilium (below 65536) (default ${DEFAULT-VALUE})")
    VniRange vniRange;

    @Option(names = "--pod-hosts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "create Pods for container hosts on nodes whose agents run pod hosts, and read referenced pods; "
                    + "--no-pod-hosts when the operator has no rights on Pods (the chart's podHosts.enabled=false)")
    boolean podHosts;

    static final class VniRangeConverter implements CommandLine.ITypeConverter<VniRange> {
        @Override
        public VniRange convert(String value) {
            try {
                return VniRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    public static void main(String[] args) {
        io.nfvlab.runtime.CommonPool.atLeastTwoWorkers();
        System.exit(new CommandLine(new OperatorMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        OperatorConfig.OperatorConfigBuilder config = OperatorConfig.builder()
                .embedded(embedded)
                .metricsPort(metricsPort)
                .metricsAddress(metricsAddress == null || metricsAddress.isBlank() ? null : metricsAddress)
                .systemNamespace(systemNamespace)
                .nodeGoneGrace(nodeGoneGrace)
                .leaderElection(leaderElection)
                .reconcileThreads(reconcileThreads)
                .underlayMtu(underlayMtu)
                .vniRange(vniRange)
                .podHosts(podHosts);
        KubernetesClient client = client();
        List<String> missing = MissingCrds.of(client);
        if (!missing.isEmpty()) {
            String line = MissingCrds.line(missing);
            System.err.println("nfvlab-operator: " + line);
            MissingCrds.recordOnPod(client, System.getenv("HOSTNAME"), System.getenv("POD_NAMESPACE"), line);
            client.close();
            return 3;
        }
        NfvlabOperator operator = NfvlabOperator.start(client, config.build());
        CountDownLatch stopped = new CountDownLatch(1);
        // the JVM exits once the hooks are done: stop inside the hook, so in-flight reconciles finish first
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            client.close();
            stopped.countDown();
        }, "nfvlab-operator-shutdown"));
        stopped.await();
        return 0;
    }

    private KubernetesClient client() throws IOException {
        return Clients.client(Clients.config(kubeconfig == null ? null : Path.of(kubeconfig), context));
    }
}
