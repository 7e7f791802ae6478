package io.nfvlab.agent.traffic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An {@code iperf3 -s} running in a host's namespace for the length of a job; {@link #close()} always stops it.
 * Started from an argument vector like every other process; long-running, so it does not go through CommandRunner.
 * Shell equivalent: {@code ip netns exec NS iperf3 -s -p PORT --forceflush}.
 */
public final class Iperf3Server implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

    private final String netns;
    private final int port;
    private final Process process;
    private final StringBuilder output = new StringBuilder();

    private Iperf3Server(String netns, int port, Process process) {
        this.netns = netns;
        this.port = port;
        this.process = process;
    }

    /** Starts the server and returns once it listens; throws with iperf3's message when it cannot. */
    public static Iperf3Server start(String netns, int port) {
        List<String> argv = Netns.exec(netns, "iperf3", List.of("-s", "-p", Integer.toString(port), "--forceflush"));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new TrafficJobException("cannot start iperf3 server in " + netns + ": " + e.getMessage());
        }
        Iperf3Server server = new Iperf3Server(netns, port, process);
        CountDownLatch listening = new CountDownLatch(1);
        Thread reader = new Thread(() -> server.drain(listening), "iperf3-server-" + netns);
        reader.setDaemon(true);
        reader.start();
        try {
            boolean ready = listening.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!ready || !process.isAlive()) {
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

    // keeps reading so that the server never blocks on a full pipe; releases the latch on "Server listening"
    // or when the process ends (start() then reports the failure)
    private void drain(CountDownLatch listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    if (output.length() < 4096) {
                        output.append(line).append('\n');
                    }
                }
                if (line.contains("Server listening")) {
                    listening.countDown();
                }
            }
        } catch (IOException e) {
            // stream closed by close()
        } finally {
            listening.countDown();
        }
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
        return process.isAlive();
    }

    @Override
    public void close() {
        // ip netns exec execs iperf3 in place, so this pid is iperf3 itself
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
