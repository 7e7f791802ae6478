package io.nfvlab.cli;

import io.nfvlab.agent.kernel.linux.KernelFixture;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.KernelNames;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the nfvlab launcher or jar as a separate process, as a user would, and inspects the kernel afterwards. */
final class CliProcess {
    /** The repository root: failsafe runs in the cli module directory. */
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private CliProcess() {
    }

    /**
     * The environment of the tests that run this build's jar: the enclosing Maven build has just made it, and a nested
     * build started by the launcher (when another module's sources look newer) would race with the enclosing one.
     */
    static final Map<String, String> BUILT = Map.of("NFVLAB_BUILD", "never");

    static Result run(List<String> argv, String stdin, Duration timeout, Map<String, String> env) throws IOException, InterruptedException {
        return run(REPO, argv, stdin, timeout, env);
    }

    static Result run(Path dir, List<String> argv, String stdin, Duration timeout, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile("nfvlab-it-out", ".txt");
        Path err = Files.createTempFile("nfvlab-it-err", ".txt");
        Path in = Files.createTempFile("nfvlab-it-in", ".txt");
        try {
            Files.writeString(in, stdin == null ? "" : stdin);
            ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(in.toFile());
            env.forEach((k, v) -> {
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                // SIGTERM first: the CLI's shutdown hook then tears the network down
                p.destroy();
                p.waitFor(120, TimeUnit.SECONDS);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + "; output:\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    withoutCacheTraining(Files.readString(err, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
        }
    }

    /**
     * stderr without the launcher's announcement that it trains the start-up cache: which test's run is the first after
     * a build (and so trains it) depends on the order tests run in, and the line is not the command's output.
     */
    static String withoutCacheTraining(String stderr) {
        return stderr.replaceAll("(?m)^nfvlab: training the start-up cache[^\n]*\n", "");
    }

    static String token(String topology) {
        return KernelNames.token("VirtualTopology", "default", topology);
    }

    /**
     * Namespaces, marked interfaces and OVS bridges of this owner token still present: empty when clean. While
     * interfaces are all that is left, waits up to 30 s for them: the run reports its teardown done before the kernel
     * has destroyed the switch namespace (whose marker's root end goes with it) and before ovs-vswitchd has removed
     * deleted bridges' devices (see KernelReleases); after that it is a leak.
     */
    static List<String> leftovers(String token) throws IOException {
        return KernelFixture.afterKernelRelease(() -> leftoversNow(token), "interface ");
    }

    private static List<String> leftoversNow(String token) throws IOException {
        List<String> left = new ArrayList<>();
        Path netns = Path.of("/run/netns");
        if (Files.isDirectory(netns)) {
            try (Stream<Path> s = Files.list(netns)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("nfv-" + token + "-"))
                        .forEach(n -> left.add("netns " + n));
            }
        }
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            for (Path dev : s.toList()) {
                Path alias = dev.resolve("ifalias");
                String a = Files.isReadable(alias) ? Files.readString(alias).strip() : "";
                if (token.equals(KernelNames.tokenOfIfalias(a)) || dev.getFileName().toString().startsWith("nv" + token)) {
                    left.add("interface " + dev.getFileName() + " (" + a + ")");
                }
            }
        }
        if (new File("/usr/bin/ovs-vsctl").canExecute()) {
            CommandRunner.Result r = CommandRunner.run(List.of("ovs-vsctl", "--timeout=5", "list-br"), Duration.ofSeconds(10));
            r.stdout().lines().filter(b -> b.startsWith("nv" + token)).forEach(b -> left.add("ovs bridge " + b));
        }
        return left;
    }

    /** Reads {@code out} until what was read contains {@code marker}, the stream ends or {@code timeout} passes; returns it all. */
    static String readUntil(java.io.Reader out, String marker, Duration timeout) throws IOException {
        StringBuilder seen = new StringBuilder();
        char[] buf = new char[4096];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!seen.toString().contains(marker) && System.nanoTime() < deadline) {
            int n = out.read(buf);
            if (n < 0) {
                break;
            }
            seen.append(buf, 0, n);
        }
        return seen.toString();
    }
}
