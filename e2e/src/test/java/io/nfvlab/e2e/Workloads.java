package io.nfvlab.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Who runs the operator and the agents once the chart is installed: the cluster itself (the chart's Deployment and
 * DaemonSet, {@link ChartWorkloads}) or the test's JVM beside an in-process API server that has no kubelet
 * ({@link InJvmWorkloads}).
 */
interface Workloads extends AutoCloseable {
    /** Waits (or starts them) until the operator runs and an agent runs on every node it should; returns those nodes. */
    Set<String> awaitRunning(Await await, Duration timeout);

    /** After uninstall: the agents have stopped (in a cluster their pods terminate on their own). */
    void stopped();

    /**
     * Network namespaces of these owner tokens still in the kernel, where the test can see the nodes' kernels; an empty
     * list otherwise (on a cluster the node states' finalizers, which agents release only after tearing down, stand
     * for that check).
     */
    List<String> kernelLeftovers(Set<String> ownerTokens);

    /** The kubeconfig {@code nfvlab install/uninstall} are given. */
    Path kubeconfig();

    @Override
    void close();
}
