package io.nfvlab.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.common.Conditions;
import io.nfvlab.api.common.ObjectRef;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.api.topology.VirtualTopologySpec;
import io.nfvlab.api.traffic.PassCriteria;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.runtime.Clients;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * What {@code helm test} runs (the chart's test Pod, in the operator image): the built-in topology {@code minimal}
 * and a pingall TrafficTest on it, applied in one namespace; passes when the topology is Ready and the test Succeeded,
 * and deletes both either way (waiting until the agents have torn them down). Needs only create/get/delete on those
 * two kinds in that namespace.
 */
@Command(name = "check-install", mixinStandardHelpOptions = true,
        description = {"Checks a running nfvlab as `helm test` does: applies the built-in topology minimal and a pingall "
                + "TrafficTest, waits until the topology is Ready and the test Succeeded, prints the result, deletes both.",
                "Exit 0 when both got there, 1 otherwise (one line says which and why)."})
public final class InstallCheck implements Callable<Integer> {
    static final String TOPOLOGY = "nfvlab-check";
    static final String TEST = "nfvlab-check-pingall";

    @Option(names = "--kubeconfig", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)")
    Path kubeconfig;

    @Option(names = "--namespace", description = "namespace of the check's topology and test (default: $POD_NAMESPACE, else default)")
    String namespace;

    @Option(names = "--timeout", defaultValue = "PT3M", description = "how long each step may take, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Spec
    CommandSpec spec;

    private final Duration poll;

    public InstallCheck() {
        this(Duration.ofSeconds(1));
    }

    InstallCheck(Duration poll) {
        this.poll = poll;
    }

    @Override
    public Integer call() throws Exception {
        // the helm test's log is its result: no client warning that v1alpha1 is not a stable version
        System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
        String ns = namespace != null ? namespace : System.getenv("POD_NAMESPACE") != null ? System.getenv("POD_NAMESPACE") : "default";
        try (KubernetesClient client = Clients.client(Clients.config(kubeconfig, null))) {
            return run(client, ns, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** The check against {@code client}; the lines go to {@code out} (progress) and {@code err} (the failure). */
    int run(KubernetesClient client, String ns, PrintWriter out, PrintWriter err) throws InterruptedException {
        long start = System.nanoTime();
        try {
            removeEarlierRun(client, ns);
            client.resource(topology(ns)).create();
            client.resource(pingall(ns)).create();
            String failure = await(() -> topologyProblem(client.resources(VirtualTopology.class).inNamespace(ns).withName(TOPOLOGY).get()));
            if (failure != null) {
                return fail(err, "topology minimal (" + ns + "/" + TOPOLOGY + ") is not Ready: " + failure);
            }
            out.printf("nfvlab-check: topology minimal Ready (%.1f s)%n", seconds(start));
            out.flush();
            failure = await(() -> testProblem(client.resources(TrafficTest.class).inNamespace(ns).withName(TEST).get()));
            if (failure != null) {
                return fail(err, "pingall (" + ns + "/" + TEST + ") did not succeed: " + failure);
            }
            TrafficTestStatus status = client.resources(TrafficTest.class).inNamespace(ns).withName(TEST).get().getStatus();
            out.printf("nfvlab-check: pingall Succeeded: %s (%.1f s)%n", status.getSummary(), seconds(start));
            out.flush();
            return 0;
        } catch (KubernetesClientException e) {
            return fail(err, "the API server refused the check: " + (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "")
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
        } finally {
            cleanUp(client, ns, err);
        }
    }

    /** A check killed midway leaves its objects; the next one starts from nothing. */
    private void removeEarlierRun(KubernetesClient client, String ns) throws InterruptedException {
        if (client.resources(TrafficTest.class).inNamespace(ns).withName(TEST).get() != null
                || client.resources(VirtualTopology.class).inNamespace(ns).withName(TOPOLOGY).get() != null) {
            cleanUp(client, ns, null);
        }
    }

    private void cleanUp(KubernetesClient client, String ns, PrintWriter err) throws InterruptedException {
        try {
            client.resources(TrafficTest.class).inNamespace(ns).withName(TEST).delete();
            client.resources(VirtualTopology.class).inNamespace(ns).withName(TOPOLOGY).delete();
            String left = await(() -> client.resources(VirtualTopology.class).inNamespace(ns).withName(TOPOLOGY).get() != null
                    || client.resources(TrafficTest.class).inNamespace(ns).withName(TEST).get() != null ? Step.pending("still being deleted") : null);
            if (left != null && err != null) {
                err.println("nfvlab-check: the check's topology is still being torn down after " + timeout.toSeconds() + " s");
                err.flush();
            }
        } catch (KubernetesClientException e) {
            if (err != null) {
                err.println("nfvlab-check: cannot delete the check's objects: " + e.getMessage());
                err.flush();
            }
        }
    }

    /** Where a step stands: done (null), still pending, or stuck in a way that waiting cannot fix. */
    record Step(String problem, boolean hopeless) {
        static Step pending(String problem) {
            return new Step(problem, false);
        }

        static Step hopeless(String problem) {
            return new Step(problem, true);
        }
    }

    /** Null when the step got done within the timeout; otherwise what held it up. */
    private String await(java.util.function.Supplier<Step> step) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Step last = step.get();
        while (last != null && !last.hopeless()) {
            if (System.nanoTime() > deadline) {
                return last.problem() + " (after " + timeout.toSeconds() + " s)";
            }
            Thread.sleep(poll.toMillis());
            last = step.get();
        }
        return last == null ? null : last.problem();
    }

    static Step topologyProblem(VirtualTopology t) {
        if (t == null) {
            return Step.hopeless("it was deleted by someone else");
        }
        Condition ready = t.getStatus() == null ? null : Conditions.find(t.getStatus().getConditions(), Conditions.READY).orElse(null);
        if (ready == null) {
            return Step.pending("no status yet (is the operator running?)");
        }
        if (Conditions.TRUE.equals(ready.getStatus()) && Objects.equals(t.getStatus().getObservedGeneration(), t.getMetadata().getGeneration())) {
            return null;
        }
        String why = ready.getReason() + ": " + ready.getMessage();
        return "InvalidSpec".equals(ready.getReason()) ? Step.hopeless(why) : Step.pending(why);
    }

    static Step testProblem(TrafficTest t) {
        if (t == null) {
            return Step.hopeless("it was deleted by someone else");
        }
        TrafficTestStatus s = t.getStatus();
        if (s == null || s.getPhase() == null) {
            return Step.pending("no phase yet");
        }
        return switch (s.getPhase()) {
            case SUCCEEDED -> null;
            case FAILED -> Step.hopeless("Failed: " + s.getMessage() + (s.getSummary() == null ? "" : " (" + s.getSummary() + ")"));
            case PENDING, RUNNING -> Step.pending(s.getPhase() + (s.getMessage() == null ? "" : ": " + s.getMessage()));
        };
    }

    private static int fail(PrintWriter err, String line) {
        err.println("nfvlab-check: " + line);
        err.flush();
        return 1;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static VirtualTopology topology(String ns) {
        VirtualTopology t = new VirtualTopology();
        t.getMetadata().setName(TOPOLOGY);
        t.getMetadata().setNamespace(ns);
        t.setSpec(VirtualTopologySpec.builder().topology(BuiltinTopology.builder().type("minimal").build()).build());
        return t;
    }

    static TrafficTest pingall(String ns) {
        TrafficTest t = new TrafficTest();
        t.getMetadata().setName(TEST);
        t.getMetadata().setNamespace(ns);
        t.setSpec(TrafficTestSpec.builder().topologyRef(ObjectRef.builder().name(TOPOLOGY).build()).type(TrafficType.PINGALL)
                .count(1).passCriteria(PassCriteria.builder().maxLossPercent(0.0).build()).build());
        return t;
    }
}
