package io.nfvlab.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this build run as its own JVM (the test's class path), so that a fault is a real {@code kill -9}: no
 * shutdown hook, no finally, children orphaned. Output goes to a log file per start, kept for the failure message.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final String mainClass;
    private final List<String> args;
    private final Path logDir;
    private Process process;
    private int starts;

    ChildJvm(String name, String mainClass, List<String> args, Path logDir) {
        this.name = name;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.logDir = logDir;
    }

    void start() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // small heaps and a quick JIT: two of these start and restart over and over on two shared cores
        command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", classPath(), mainClass));
        command.addAll(args);
        Path log = logDir.resolve(name + "-" + (++starts) + ".log");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name, e);
        }
    }

    /** SIGKILL; returns the processes it had started (traffic tools, ...), now orphans that must not outlive recovery. */
    List<ProcessHandle> kill9() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return children;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The last lines this JVM wrote (its current start's log), for a failure message. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logDir.resolve(name + "-" + starts + ".log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String classPath() {
        // failsafe runs the tests from a manifest-only jar; it names the real class path here
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Stops with SIGTERM (its shutdown hook releases what it holds), SIGKILL if that takes over 20 s. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
