package io.nfvlab.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CNI executable a runtime runs (cni-plugin's static C client, {@code target/cni/bin/nfvlab-cni}) against one
 * agent's CNI socket, without the JVM fallback: an invocation the agent does not answer is CNI error 11, as on a node
 * whose agent is down.
 */
final class CniThinClient {
    static final Path EXECUTABLE = Path.of("../cni-plugin/target/cni/bin/nfvlab-cni").toAbsolutePath().normalize();

    record Answer(int exitCode, String stdout, String stderr) {
        /** The CNI error code printed, or -1. */
        int errorCode() {
            int at = stdout.indexOf("\"code\":");
            if (at < 0) {
                return -1;
            }
            int end = at + 7;
            while (end < stdout.length() && Character.isDigit(stdout.charAt(end))) {
                end++;
            }
            return Integer.parseInt(stdout.substring(at + 7, end));
        }

        boolean ok() {
            return exitCode == 0;
        }
    }

    /** One invocation under way; {@link #answer} waits for it. */
    static final class Call {
        private final Process process;
        private final CompletableFuture<String> out;
        private final CompletableFuture<String> err;

        private Call(Process process) {
            this.process = process;
            this.out = CompletableFuture.supplyAsync(() -> read(process, true));
            this.err = CompletableFuture.supplyAsync(() -> read(process, false));
        }

        Answer answer() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("nfvlab-cni did not exit within 60 s");
            }
            return new Answer(process.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        }
    }

    private final Path socket;
    private final String config;

    CniThinClient(Path socket, String config) {
        this.socket = socket;
        this.config = config;
    }

    static boolean available() {
        return Files.isExecutable(EXECUTABLE);
    }

    Call start(String command, String containerId, String netns, String ifname) {
        ProcessBuilder pb = new ProcessBuilder(EXECUTABLE.toString());
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", ifname);
        env.put("CNI_PATH", "/usr/lib/cni");
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("NFVLAB_CNI_SOCKET", socket.toString());
        env.put("NFVLAB_CNI_FALLBACK", "");
        env.put("NFVLAB_CNI_TIMEOUT_MS", "30000");
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(config.getBytes(StandardCharsets.UTF_8));
            }
            return new Call(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer run(String command, String containerId, String netns, String ifname) throws Exception {
        return start(command, containerId, netns, ifname).answer();
    }

    private static String read(Process p, boolean stdout) {
        try {
            return new String((stdout ? p.getInputStream() : p.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
