package io.nfvlab.agent.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs programs from argument vectors (never through a shell), each with a deadline. Every process the agent, the
 * CNI plugin and the CLI start goes through here: {@link #run} captures the output of a short command, {@link #start}
 * streams the output of a long-running one.
 * <p>
 * Output is drained on threads of this class's own pool, one per stream and as many as there are streams: a pool
 * shared with other work (the common ForkJoinPool) let a few long traffic jobs, whose drains block until their
 * processes end, starve the drains of every short {@code ip}/{@code tc}/{@code ovs} call behind them.
 */
public final class CommandRunner {
    /** How long output is awaited after the process ended: a child it left behind may hold the pipe open. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(2);
    /** Bytes kept of each output stream of {@link #run}, at its start and again at its end. */
    static final int KEPT_BYTES = 4 << 20;

    private static final ExecutorService DRAINS = Executors.newCachedThreadPool(daemon("process-output"));
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(daemon("process-deadline"));

    private CommandRunner() {
    }

    public record Result(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** A one-line description for errors: the program, its exit code and the first line of stderr. */
        public String describe() {
            return String.join(" ", argv.subList(0, Math.min(argv.size(), 6))) + (argv.size() > 6 ? " …" : "")
                    + (timedOut ? ": timed out" : ": exit " + exitCode) + (firstErrorLine().isEmpty() ? "" : ": " + firstErrorLine());
        }

        /** The first line of stderr, or of stdout when stderr is empty; "" when the program printed nothing. */
        public String firstErrorLine() {
            String err = stderr.isBlank() ? stdout : stderr;
            return err.strip().lines().findFirst().orElse("");
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
        return run(Command.of(argv, timeout));
    }

    public static Result run(List<String> argv, String stdin, Duration timeout) {
        return run(Command.of(argv, timeout).withStdin(stdin));
    }

    /**
     * Runs the command to its end or its deadline and returns its exit code and output; a program that cannot be
     * started gives exit code 127 (as a shell would), one killed at its deadline {@code timedOut}.
     */
    public static Result run(Command command) {
        Process process;
        try {
            process = builder(command).start();
        } catch (IOException e) {
            return new Result(command.argv(), 127, "", command.program() + ": " + e.getMessage(), false);
        }
        Capture out = new Capture();
        Capture err = new Capture();
        drain(process.getInputStream(), out);
        drain(process.getErrorStream(), err);
        if (!command.terminalInput()) {
            feed(process, command.stdin());
        }
        try {
            boolean finished = process.waitFor(command.deadline().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
            }
            long graceEnd = System.nanoTime() + DRAIN_GRACE.toNanos();
            out.await(graceEnd);
            err.await(graceEnd);
            return new Result(command.argv(), finished ? process.exitValue() : -1, out.text(), err.text(), !finished);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return new Result(command.argv(), -1, out.text(), "interrupted", true);
        }
    }

    /**
     * Starts a long-running command whose output is handed, as it comes, to {@code stdout} and {@code stderr} (on
     * drain threads; null: discarded). The process is killed at its deadline unless it ended or was stopped before.
     */
    public static Running start(Command command, Consumer<String> stdout, Consumer<String> stderr) throws IOException {
        Process process = builder(command).start();
        CountDownLatch outputDone = new CountDownLatch(2);
        stream(process.getInputStream(), stdout, outputDone);
        stream(process.getErrorStream(), stderr, outputDone);
        if (!command.terminalInput()) {
            feed(process, command.stdin());
        }
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            kill(process);
        }, command.deadline().toMillis(), TimeUnit.MILLISECONDS);
        process.onExit().thenRun(() -> deadline.cancel(false));
        return new Running(process, outputDone, deadline, expired);
    }

    /** A process started by {@link #start}. {@link #close()} stops it: SIGTERM, then SIGKILL after two seconds. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final CountDownLatch outputDone;
        private final ScheduledFuture<?> deadline;
        private final AtomicBoolean expired;

        private Running(Process process, CountDownLatch outputDone, ScheduledFuture<?> deadline, AtomicBoolean expired) {
            this.process = process;
            this.outputDone = outputDone;
            this.deadline = deadline;
            this.expired = expired;
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** Waits for the process to end and its output to be handed on; the exit code (-1 when it was killed at its deadline). */
        public int waitFor() throws InterruptedException {
            int code = process.waitFor();
            outputDone.await(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return expired.get() ? -1 : code;
        }

        @Override
        public void close() {
            deadline.cancel(false);
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    kill(process);
                }
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ProcessBuilder builder(Command command) {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        if (command.environment() == null) {
            pb.environment().put("LC_ALL", "C");
        } else {
            pb.environment().clear();
            pb.environment().putAll(command.environment());
        }
        if (command.terminalInput()) {
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        }
        return pb;
    }

    /** Writes the input on a drain thread: a program that does not read it must not hold the caller past the deadline. */
    private static void feed(Process process, String stdin) {
        OutputStream in = process.getOutputStream();
        if (stdin == null) {
            close(in);
            return;
        }
        DRAINS.execute(() -> {
            try (in) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the program exited without reading its input; its exit code tells the rest
            }
        });
    }

    /** Kills the process and whatever it started (a deadline is the end of all of it). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(InputStream stream, Capture into) {
        DRAINS.execute(() -> {
            try (stream) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = stream.read(buf)) > 0) {
                    into.append(buf, n);
                }
            } catch (IOException e) {
                // the stream closed with the process
            } finally {
                into.done.countDown();
            }
        });
    }

    private static void stream(InputStream stream, Consumer<String> to, CountDownLatch done) {
        DRAINS.execute(() -> {
            try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                char[] buf = new char[4096];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (to != null && n > 0) {
                        to.accept(new String(buf, 0, n));
                    }
                }
            } catch (IOException e) {
                // the stream closed with the process
            } finally {
                done.countDown();
            }
        });
    }

    private static void close(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to tell: the program's input is closed either way
        }
    }

    /**
     * Output captured so far. When a child left behind keeps the pipe open past {@link #DRAIN_GRACE}, the result is
     * what arrived until then; the drain thread stays blocked until that child exits, but blocks no one else.
     * Bounded: the first {@link #KEPT_BYTES} and the last {@link #KEPT_BYTES} bytes are kept (a tool's summary comes
     * last), and what lies between is replaced by a line saying how much was left out, so that a long job printing a
     * line per echo cannot fill the agent's heap.
     */
    private static final class Capture {
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        /** Made only once the head is full: most commands print a few lines. */
        private byte[] tail;
        private long tailWritten;
        private final CountDownLatch done = new CountDownLatch(1);

        synchronized void append(byte[] buf, int n) {
            int toHead = Math.min(n, KEPT_BYTES - head.size());
            head.write(buf, 0, toHead);
            if (toHead < n && tail == null) {
                tail = new byte[KEPT_BYTES];
            }
            for (int i = toHead; i < n; i++) {
                tail[(int) (tailWritten++ % KEPT_BYTES)] = buf[i];
            }
        }

        synchronized String text() {
            if (tailWritten == 0) {
                return head.toString(StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(head.toByteArray());
            long left = tailWritten - KEPT_BYTES;
            if (left > 0) {
                all.writeBytes(("\n[nfvlab: " + left + " bytes of output not kept]\n").getBytes(StandardCharsets.UTF_8));
                int from = (int) (tailWritten % KEPT_BYTES);
                all.write(tail, from, KEPT_BYTES - from);
                all.write(tail, 0, from);
            } else {
                all.write(tail, 0, (int) tailWritten);
            }
            return all.toString(StandardCharsets.UTF_8);
        }

        void await(long untilNanos) throws InterruptedException {
            done.await(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Collects streamed output into lines: what {@link #start} hands on comes in chunks as the program writes them. */
    public static Consumer<String> lines(Consumer<String> perLine) {
        StringBuilder partial = new StringBuilder();
        return chunk -> {
            synchronized (partial) {
                partial.append(chunk);
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    perLine.accept(partial.substring(0, nl));
                    partial.delete(0, nl + 1);
                }
            }
        };
    }
}
