package io.nfvlab.agent.traffic;

import io.nfvlab.agent.process.Netns;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.traffic.PairResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * iperf3 client runs inside the source host's namespace against a server in the destination's namespace.
 * Shell equivalent: {@code nsenter --net=/run/netns/SRC -- iperf3 -c DST -p PORT -t SECONDS -J [-P N] [-u -b BITS [-l SIZE]]}.
 */
public final class IperfRunner {
    private static final int CONNECT_ATTEMPTS = 5;

    /** What to send: TCP (bandwidth null) or UDP at {@code udpBitsPerSecond}. */
    public record Load(boolean udp, Double udpBitsPerSecond, double seconds, Integer packetSize, Integer parallel) {
    }

    /** A client run's parsed result plus the rate the sender achieved (bits/s), which a throughput search needs. */
    public record Measurement(PairResult result, double sentBitsPerSecond) {
    }

    /** Ports are derived from the job id so that the server role on another node picks the same one. */
    public static int portFor(String jobId) {
        return 5201 + Math.floorMod(jobId.hashCode(), 1000);
    }

    public Measurement run(JobPair pair, int port, Load load) {
        List<String> args = new ArrayList<>(List.of("-c", pair.getDestinationAddress(), "-p", Integer.toString(port),
                "-t", trimmed(load.seconds()), "-J", "--connect-timeout", "3000"));
        if (load.parallel() != null && load.parallel() > 1) {
            args.add("-P");
            args.add(Integer.toString(load.parallel()));
        }
        if (load.udp()) {
            // 4 MB socket buffers (iperf3 passes -w to the server too; the kernel caps it at net.core.rmem_max): on a
            // busy node a receiver scheduled a few ms late otherwise overflows its default 208 KB buffer, and the
            // loss measured is the tester's, not the link's
            args.add("-w");
            args.add("4M");
            args.add("-u");
            args.add("-b");
            args.add(Long.toString(Math.round(load.udpBitsPerSecond())));
            if (load.packetSize() != null) {
                args.add("-l");
                args.add(Integer.toString(load.packetSize()));
            }
        }
        Duration limit = Duration.ofMillis((long) (load.seconds() * 1000) + 20_000);
        List<String> argv = Netns.exec(pair.getSourceNetns(), "iperf3", args);
        TrafficJobException last = null;
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            CommandRunner.Result r = CommandRunner.run(argv, limit);
            if (r.timedOut()) {
                throw new TrafficJobException(r.describe());
            }
            try {
                PairResult parsed = Iperf3Parser.parse(r.stdout(), load.udp());
                return new Measurement(parsed.toBuilder().source(pair.getSource()).destination(pair.getDestination()).build(),
                        Iperf3Parser.sentBitsPerSecond(r.stdout()));
            } catch (TrafficJobException e) {
                last = e;
                // a server on another node may still be starting, or finishing the previous test: try again shortly
                boolean transient_ = e.getMessage().contains("refused") || e.getMessage().contains("busy");
                if (!transient_) {
                    throw e;
                }
                sleep(400L * attempt);
            }
        }
        throw last;
    }

    private static String trimmed(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrafficJobException("interrupted");
        }
    }
}
