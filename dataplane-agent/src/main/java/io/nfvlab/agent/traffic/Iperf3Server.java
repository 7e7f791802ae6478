package io.nfvlab.agent.traffic;

import io.nfvlab.agent.process.Netns;
import io.nfvlab.agent.process.Command;
import io.nfvlab.agent.process.CommandRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An {@code iperf3 -s} running in a host's namespace for the length of a job; {@link #close()} always stops it.
 * Started from an argument vector like every other process, as a long-running one of {@link CommandRunner#start}.
 * Shell equivalent: {@code nsenter --net=/run/netns/NS -- iperf3 -s -p PORT --forceflush}.
 */
public final class Iperf3Server implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
    /** Jobs close their servers when they end; this only bounds a server that a job failed to close. */
    private static final Duration MAX_LIFETIME = Duration.ofHours(24);

    private final String netns;
    private final int port;
    private final CommandRunner.Running process;
    private final StringBuilder output;

    private Iperf3Server(String netns, int port, CommandRunner.Running process, StringBuilder output) {
        this.netns = netns;
        this.port = port;
        this.process = process;
        this.output = output;
    }

    /** Starts the server and returns once it listens; throws with iperf3's message when it cannot. */
    public static Iperf3Server start(String netns, int port) {
        List<String> argv = Netns.exec(netns, "iperf3", List.of("-s", "-p", Integer.toString(port), "--forceflush"));
        StringBuilder output = new StringBuilder();
        CountDownLatch listening = new CountDownLatch(1);
        // releases the latch on "Server listening"; when the process ends instead, start() reports the failure
        Consumer<String> line = l -> {
            synchronized (output) {
                if (output.length() < 4096) {
                    output.append(l).append('\n');
                }
            }
            if (l.contains("Server listening")) {
                listening.countDown();
            }
        };
        CommandRunner.Running process;
        try {
            process = CommandRunner.start(Command.of(argv, MAX_LIFETIME), CommandRunner.lines(line), CommandRunner.lines(line));
        } catch (IOException e) {
            throw new TrafficJobException("cannot start iperf3 server in " + netns + ": " + e.getMessage());
        }
        Iperf3Server server = new Iperf3Server(netns, port, process, output);
        try {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (!listening.await(20, TimeUnit.MILLISECONDS) && process.alive() && System.nanoTime() < deadline) {
                // polls for the process's end as well: its output streams may stay open a little longer
            }
            if (listening.getCount() > 0 || !process.alive()) {
                server.close();
                throw new TrafficJobException("iperf3 server in " + netns + " on port " + port + " did not start: "
                        + server.outputLine());
            }
        } catch (InterruptedException e) {
            server.close();
            Thread.currentThread().interrupt();
            throw new TrafficJobException("interrupted while starting iperf3 server in " + netns);
        }
        return server;
    }

    private String outputLine() {
        synchronized (output) {
            return output.toString().strip().lines().filter(l -> l.contains("error")).findFirst()
                    .orElse(output.toString().strip().lines().findFirst().orElse("no output"));
        }
    }

    public int port() {
        return port;
    }

    public String netns() {
        return netns;
    }

    public boolean alive() {
        return process.alive();
    }

    @Override
    public void close() {
        // nsenter (network namespace only, no fork) execs iperf3 in place, so the process is iperf3 itself
        process.close();
    }
}
