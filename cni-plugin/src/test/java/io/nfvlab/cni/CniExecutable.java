package io.nfvlab.cni;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The plugin as a runtime runs it: {@code bin/nfvlab-cni} (the C client) as a process with nothing but the given
 * environment, the configuration on stdin, stdout and stderr captured.
 */
final class CniExecutable {
    static final Path PATH = Path.of("bin/nfvlab-cni").toAbsolutePath();

    record Run(int exitCode, String stdout, String stderr, byte[] stdoutBytes) {
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
    }

    private CniExecutable() {
    }

    static Run run(Map<String, String> env, String stdin) throws Exception {
        return run(env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    static Run run(Map<String, String> env, byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(PATH.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p, true));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p, false));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the executable stopped reading (it refuses oversized input): its answer says why
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nfvlab-cni did not exit within 60 s");
        }
        byte[] o = out.get(10, TimeUnit.SECONDS);
        return new Run(p.exitValue(), new String(o, StandardCharsets.UTF_8), new String(err.get(10, TimeUnit.SECONDS),
                StandardCharsets.UTF_8), o);
    }

    private static byte[] readAll(Process p, boolean stdout) {
        try {
            return (stdout ? p.getInputStream() : p.getErrorStream()).readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The environment of an invocation that must reach the agent at {@code socket} (no silent JVM fallback). */
    static Map<String, String> toAgent(Map<String, String> cniEnv, Path socket) {
        Map<String, String> env = new HashMap<>(cniEnv);
        env.put("NFVLAB_CNI_SOCKET", socket.toString());
        env.put("NFVLAB_CNI_FALLBACK", "");
        return env;
    }
}
