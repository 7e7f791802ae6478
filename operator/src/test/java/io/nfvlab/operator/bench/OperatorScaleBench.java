package io.nfvlab.operator.bench;

import io.nfvlab.agent.kernel.fake.FakeDataplane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.agent.Agent;
import io.nfvlab.agent.AgentConfig;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.apiserver.EmbeddedApiServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N linear,4 topologies created at once → all Ready. The operator runs in a JVM of its own (OperatorMain, as it would
 * in a pod) against the in-process API server of this harness, so its peak RSS (VmHWM) is its alone. Two agents run
 * here with their in-memory FAKE dataplane: this measures the control plane, not the kernel.
 * Usage: OperatorScaleBench [count] [operator JVM options…] [-- OperatorMain options…] (e.g. {@code -- --reconcile-threads 30})
 */
public final class OperatorScaleBench {
    public static void main(String[] args) throws Exception {
        io.nfvlab.runtime.CommonPool.atLeastTwoWorkers();
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> rest = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        int dashes = rest.indexOf("--");
        List<String> jvmOptions = dashes < 0 ? rest : rest.subList(0, dashes);
        List<String> operatorOptions = dashes < 0 ? List.of() : rest.subList(dashes + 1, rest.size());
        try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
            KubernetesClient admin = server.client();
            List<Agent> agents = new ArrayList<>();
            for (String node : List.of("bench-a", "bench-b")) {
                agents.add(Agent.start(server.newClient(), AgentConfig.builder().nodeName(node).underlayAddress(node.endsWith("a") ? "10.1.0.1" : "10.1.0.2")
                        .embedded(true).dataplane(new FakeDataplane()).sweepOrphansOnStart(false).build()));
            }
            Path kubeconfig = Files.createTempFile("nfvlab-bench", ".kubeconfig");
            Files.writeString(kubeconfig, server.kubeconfig("default"));
            int metricsPort = freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.nfvlab.operator.OperatorMain",
                    "--embedded", "--kubeconfig", kubeconfig.toString(), "--metrics-port", String.valueOf(metricsPort)));
            command.addAll(operatorOptions);
            Process operator = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "nfvlab-bench-operator.log").toFile()).start();
            try {
                awaitReadyz(metricsPort, operator);
                System.out.printf("operator pid %d up; RSS after start %d MB; JVM options %s; operator options %s%n", operator.pid(),
                        rssMb(operator.pid(), "VmRSS"), jvmOptions, operatorOptions);

                long start = System.nanoTime();
                ExecutorService pool = Executors.newFixedThreadPool(16);
                List<Future<?>> creates = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    int n = i;
                    creates.add(pool.submit(() -> admin.resource(linear4("bench-" + n)).create()));
                }
                for (Future<?> f : creates) {
                    f.get();
                }
                pool.shutdown();
                double created = seconds(start);
                long peak = 0;
                int ready = 0;
                while (ready < count) {
                    if (seconds(start) > 300) {
                        throw new IllegalStateException("only " + ready + " of " + count + " Ready after 300 s");
                    }
                    Thread.sleep(200);
                    peak = Math.max(peak, rssMb(operator.pid(), "VmHWM"));
                    ready = (int) admin.resources(VirtualTopology.class).inNamespace("default").list().getItems().stream()
                            .filter(t -> t.getStatus() != null && Conditions.isTrue(t.getStatus().getConditions(), Conditions.READY))
                            .count();
                }
                double allReady = seconds(start);
                double reconciles = reconcileCount(metricsPort);
                peak = Math.max(peak, rssMb(operator.pid(), "VmHWM"));
                System.out.printf("%d linear,4 topologies (4 hosts, 7 links each) on 2 agents with the FAKE dataplane%n", count);
                System.out.printf("created in %.2f s; all Ready %.2f s after the first create%n", created, allReady);
                System.out.printf("node states: %d%n", admin.resources(NetworkNodeState.class).list().getItems().size());
                System.out.printf("operator reconciles: %.0f in %.2f s = %.0f reconciles/s%n", reconciles, allReady, reconciles / allReady);
                System.out.printf("operator peak RSS (VmHWM): %d MB%n", peak);
                System.out.printf("targets: all Ready within 60 s: %s; RSS under 300 MB: %s%n",
                        allReady < 60 ? "met" : "MISSED", peak < 300 ? "met" : "MISSED");
            } finally {
                operator.destroy();
                operator.waitFor();
                agents.forEach(Agent::close);
                Files.deleteIfExists(kubeconfig);
            }
        }
        System.exit(0);
    }

    private static VirtualTopology linear4(String name) {
        VirtualTopology vt = new VirtualTopology();
        vt.getMetadata().setName(name);
        vt.getMetadata().setNamespace("default");
        vt.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("linear").k(4).build()).build());
        return vt;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A line of /proc/PID/status in MB: VmRSS now, VmHWM the peak. */
    private static long rssMb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static double reconcileCount(int port) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^nfvlab_reconcile_duration_seconds_count\\{[^}]*controller=\"virtualtopology\"[^}]*} ([0-9.eE+]+)$").matcher(body);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static void awaitReadyz(int port, Process operator) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (int i = 0; i < 300; i++) {
            if (!operator.isAlive()) {
                throw new IllegalStateException("operator exited with " + operator.exitValue() + "; see nfvlab-bench-operator.log in java.io.tmpdir");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("operator not ready after 30 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
