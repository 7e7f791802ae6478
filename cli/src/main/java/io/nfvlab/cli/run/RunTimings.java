package io.nfvlab.cli.run;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of one {@code nfvlab run} goes, printed to stderr at its end when asked for ({@code --timings} or
 * NFVLAB_TIMINGS=1): phases in the order they ran, each with its wall time, from the JVM's own start (which covers
 * the launcher's work before {@code main}) to the control plane's stop. A phase that ran concurrently with others is
 * marked so; the phases then do not add up to the whole. Next to each phase that did not overlap others: the CPU time
 * the whole process used since the line before (all threads: JIT, GC, the server's and controllers' threads too),
 * which is what a loaded machine makes a command wait for and varies less than wall time when the machine is shared.
 */
final class RunTimings {
    /** cpuNanos: process CPU since the previous sequential phase, or -1 (concurrent, or not measured). */
    private record Phase(String name, long nanos, boolean concurrent, long cpuNanos) {
    }

    private final boolean enabled;
    private final List<Phase> phases = new ArrayList<>();
    private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final long mainMillis;
    private final long mainCpuNanos;
    private long lastCpuNanos;

    RunTimings(boolean enabled) {
        this.enabled = enabled;
        this.mainMillis = System.currentTimeMillis();
        this.mainCpuNanos = enabled ? processCpuNanos() : -1;
        this.lastCpuNanos = mainCpuNanos;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    static boolean requested(boolean flag) {
        return flag || "1".equals(System.getenv("NFVLAB_TIMINGS"));
    }

    boolean enabled() {
        return enabled;
    }

    /** Records a phase that took {@code nanos}. */
    synchronized void add(String name, long nanos) {
        long cpu = -1;
        if (enabled && lastCpuNanos >= 0) {
            long now = processCpuNanos();
            cpu = now - lastCpuNanos;
            lastCpuNanos = now;
        }
        phases.add(new Phase(name, nanos, false, cpu));
    }

    /** Records a phase that overlapped with others (e.g. components started in parallel). */
    synchronized void addConcurrent(String name, long nanos) {
        phases.add(new Phase(name, nanos, true, -1));
    }

    /** Records the phase that started at {@code since} (a {@link System#nanoTime()} reading) and ends now. */
    void since(String name, long since) {
        add(name, System.nanoTime() - since);
    }

    synchronized void print(PrintWriter err) {
        if (!enabled) {
            return;
        }
        long totalMillis = System.currentTimeMillis() - jvmStartMillis;
        err.println("*** Timings (wall; process CPU since the line before):");
        err.printf(Locale.ROOT, "  %-44s %8.3f s%s%n", "JVM start to main (class loading, launcher)",
                (mainMillis - jvmStartMillis) / 1e3, cpu(mainCpuNanos));
        for (Phase p : phases) {
            err.printf(Locale.ROOT, "  %-44s %8.3f s%s%n", p.name, p.nanos / 1e9, p.concurrent ? "  (concurrent)" : cpu(p.cpuNanos));
        }
        long cpuNow = processCpuNanos();
        err.printf(Locale.ROOT, "  %-44s %8.3f s%s%n", "total since JVM start (cpu: all of it)", totalMillis / 1e3, cpu(cpuNow));
        err.flush();
    }

    private static String cpu(long nanos) {
        return nanos < 0 ? "" : String.format(Locale.ROOT, "  cpu %6.3f s", nanos / 1e9);
    }
}
