package io.nfvlab.runtime;

/**
 * The JDK sizes its common ForkJoinPool to the CPUs less one, and with a parallelism of 1 — any machine or container
 * of one or two CPUs, such as this project's CI and development VM — every asynchronous completion of a
 * CompletableFuture runs on a thread started for it alone. The JDK HTTP client under the Kubernetes client completes
 * each response that way: 3180 threads were started in one minute for 1000 topologies, and removing them cut the run
 * from 55 to 48 s. Each main calls {@link #atLeastTwoWorkers()} first, before anything uses the pool.
 */
public final class CommonPool {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {
    }

    /** Gives the common pool two workers on a machine of fewer than three CPUs, unless its size was set explicitly. */
    public static void atLeastTwoWorkers() {
        atLeastTwoWorkers(Runtime.getRuntime().availableProcessors());
    }

    static void atLeastTwoWorkers(int cpus) {
        if (cpus < 3 && System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, "2");
        }
    }
}
