package io.nfvlab.agent.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program from an argument vector (never through a shell), with a time limit, optional standard input and
 * captured output. Every process the agent starts goes through here.
 */
public final class CommandRunner {
    private CommandRunner() {
    }

    public record Result(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** A one-line description for errors: the program, its exit code and the first line of stderr. */
        public String describe() {
            String err = stderr.isBlank() ? stdout : stderr;
            String first = err.strip().lines().findFirst().orElse("");
            return String.join(" ", argv.subList(0, Math.min(argv.size(), 6))) + (argv.size() > 6 ? " …" : "")
                    + (timedOut ? ": timed out" : ": exit " + exitCode) + (first.isEmpty() ? "" : ": " + first);
        }

        public Result orThrow() {
            if (!ok()) {
                throw new CommandException(this);
            }
            return this;
        }
    }

    public static class CommandException extends RuntimeException {
        private final Result result;

        public CommandException(Result result) {
            super(result.describe());
            this.result = result;
        }

        public Result result() {
            return result;
        }
    }

    public static Result run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }

    public static Result run(List<String> argv, String stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new Result(argv, 127, "", argv.get(0) + ": " + e.getMessage(), false);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the program exited without reading its input; its exit code tells the rest
        }
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(argv, -1, out.getNow(""), err.getNow(""), true);
            }
            return new Result(argv, process.exitValue(), out.join(), err.join(), false);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(argv, -1, "", "interrupted", true);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
