package io.nfvlab.cli;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Runs a traffic test the Kubernetes way: create a TrafficTest, wait until its phase is final, read its status. */
public final class TrafficRunner {
    /** A test still running after this prints its progress (each new status message); shorter ones stay quiet. */
    static final Duration QUIET = Duration.ofSeconds(3);
    /** Slack on top of the test's own timeout, for the operator and agent to report. */
    private static final Duration SLACK = Duration.ofSeconds(30);
    private static final int DEFAULT_TEST_TIMEOUT_SECONDS = 300;

    private TrafficRunner() {
    }

    public record Outcome(TrafficTest test, Duration elapsed) {
        public boolean succeeded() {
            return test.getStatus() != null && test.getStatus().getPhase() == TrafficTestStatus.Phase.SUCCEEDED;
        }
    }

    /** A fresh name for a test the CLI creates: {@code <topology>-<type>-<5 hex>}. */
    public static String newName(String topology, String type) {
        String suffix = String.format(Locale.ROOT, "%05x", ThreadLocalRandom.current().nextInt(0x100000));
        String base = (topology + "-" + type).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (base.length() > 56) {
            base = base.substring(0, 56);
        }
        return base + "-" + suffix;
    }

    /** Creates the test and waits for it; with {@code delete} it is removed afterwards (the prompt's tests). */
    public static Outcome run(KubernetesClient client, String namespace, String name, TrafficTestSpec spec, boolean delete) {
        return run(client, namespace, name, spec, delete, null);
    }

    /** As above, printing the test's progress to {@code progress} (when not null) once it has run {@link #QUIET}. */
    public static Outcome run(KubernetesClient client, String namespace, String name, TrafficTestSpec spec, boolean delete,
                              PrintWriter progress) {
        TrafficTest test = new TrafficTest();
        test.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        test.setSpec(spec);
        return run(client, test, delete, progress);
    }

    /** Creates {@code test} as given, metadata and all (it must name its namespace), and waits for it as above. */
    public static Outcome run(KubernetesClient client, TrafficTest test, boolean delete, PrintWriter progress) {
        String namespace = test.getMetadata().getNamespace();
        long start = System.nanoTime();
        TrafficTest created = client.resource(test).inNamespace(namespace).create();
        try {
            TrafficTest done = await(client, created, test.getSpec().getTimeoutSeconds(), progress);
            return new Outcome(done, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            if (delete) {
                client.resource(created).inNamespace(namespace).delete();
            }
        }
    }

    /** Waits for a test that already exists (one applied from a file) to finish. */
    public static Outcome await(KubernetesClient client, TrafficTest existing) {
        long start = System.nanoTime();
        TrafficTest done = await(client, existing, existing.getSpec() == null ? null : existing.getSpec().getTimeoutSeconds(), null);
        return new Outcome(done, Duration.ofNanos(System.nanoTime() - start));
    }

    private static TrafficTest await(KubernetesClient client, TrafficTest test, Integer timeoutSeconds, PrintWriter progress) {
        long start = System.nanoTime();
        Duration limit = Duration.ofSeconds(timeoutSeconds == null ? DEFAULT_TEST_TIMEOUT_SECONDS : timeoutSeconds).plus(SLACK);
        long deadline = System.nanoTime() + limit.toNanos();
        String name = test.getMetadata().getName();
        String ns = test.getMetadata().getNamespace();
        TrafficTest current = test;
        String printed = null;
        try (Changes changes = Changes.of(client, TrafficTest.class, ns, name)) {
            while (System.nanoTime() < deadline) {
                long mark = changes.mark();
                current = client.resources(TrafficTest.class).inNamespace(ns).withName(name).get();
                if (current == null) {
                    throw CliException.failure("traffic test " + name + " was deleted while it ran");
                }
                if (isFinal(current)) {
                    return current;
                }
                if (progress != null) {
                    printed = printProgress(progress, current, printed, System.nanoTime() - start);
                }
                changes.await(mark, Duration.ofNanos(deadline - System.nanoTime()));
            }
        }
        TrafficTestStatus s = current.getStatus();
        throw CliException.failure("traffic test " + name + " did not finish within " + limit.toSeconds() + " s"
                + (s == null ? " (the operator never reported on it)"
                : " (phase " + s.getPhase() + (s.getMessage() == null ? "" : ": " + s.getMessage()) + ")"));
    }

    /**
     * Prints the running test's status message when it differs from the last one printed and the test has run
     * {@link #QUIET} (a search's trials, an rfc2544 frame size's progress); returns the message now printed.
     */
    static String printProgress(PrintWriter progress, TrafficTest t, String printed, long elapsedNanos) {
        TrafficTestStatus s = t.getStatus();
        String message = s == null ? null : s.getMessage();
        if (message == null || message.equals(printed) || elapsedNanos < QUIET.toNanos()
                || s.getPhase() != TrafficTestStatus.Phase.RUNNING) {
            return printed;
        }
        progress.printf(Locale.ROOT, "*** %s: %s (%.0f s)%n", t.getMetadata().getName(), message, elapsedNanos / 1e9);
        progress.flush();
        return message;
    }

    static boolean isFinal(TrafficTest t) {
        TrafficTestStatus s = t.getStatus();
        if (s == null || s.getPhase() == null) {
            return false;
        }
        boolean current = s.getObservedGeneration() == null || t.getMetadata().getGeneration() == null
                || s.getObservedGeneration() >= t.getMetadata().getGeneration();
        return current && (s.getPhase() == TrafficTestStatus.Phase.SUCCEEDED || s.getPhase() == TrafficTestStatus.Phase.FAILED);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }
}
