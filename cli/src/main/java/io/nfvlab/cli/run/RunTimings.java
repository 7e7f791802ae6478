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
 * marked so; the phases then do not add up to the whole.
 */
final class RunTimings {
    private record Phase(String name, long nanos, boolean concurrent) {
    }

    private final boolean enabled;
    private final List<Phase> phases = new ArrayList<>();
    private final long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private final long mainMillis;

    RunTimings(boolean enabled) {
        this.enabled = enabled;
        this.mainMillis = System.currentTimeMillis();
    }

    static boolean requested(boolean flag) {
        return flag || "1".equals(System.getenv("NFVLAB_TIMINGS"));
    }

    boolean enabled() {
        return enabled;
    }

    /** Records a phase that took {@code nanos}. */
    synchronized void add(String name, long nanos) {
        phases.add(new Phase(name, nanos, false));
    }

    /** Records a phase that overlapped with others (e.g. components started in parallel). */
    synchronized void addConcurrent(String name, long nanos) {
        phases.add(new Phase(name, nanos, true));
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
        err.println("*** Timings (wall):");
        err.printf(Locale.ROOT, "  %-44s %8.3f s%n", "JVM start to main (class loading, launcher)",
                (mainMillis - jvmStartMillis) / 1e3);
        for (Phase p : phases) {
            err.printf(Locale.ROOT, "  %-44s %8.3f s%s%n", p.name, p.nanos / 1e9, p.concurrent ? "  (concurrent)" : "");
        }
        err.printf(Locale.ROOT, "  %-44s %8.3f s%n", "total since JVM start", totalMillis / 1e3);
        err.flush();
    }
}
