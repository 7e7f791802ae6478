package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.topology.LinkParams;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (run by bench/traffic/link-accuracy.sh, not by the test suite): how closely a shaped link gives what it
 * was asked for, on the h1–s1 link of Mininet's minimal topology built by the agent on the real kernel (h2 reached
 * through s1, a Linux bridge). Prints requested vs measured and asserts nothing:
 * <ul>
 *   <li>rate: iperf3 TCP h1 → h2 for 5 s per round (the receiver's figure, so retransmissions do not count);</li>
 *   <li>delay: ping h1 → h2 at 20 per second; the link's delay applies to each direction, so the one-way figure is
 *       (round trip − the unshaped round trip) / 2, taken at the median (p50) and p99 of the round trips;</li>
 *   <li>loss: 2000 pings at 200 per second; the loss applies to each direction, so the one-way figure is
 *       1 − √(1 − round-trip loss).</li>
 * </ul>
 * The mechanism is what this kernel offers (the agent logs it at start): without sch_netem the delay line carries
 * delay and a BPF filter loss; tbf carries rate either way.
 */
public final class LinkAccuracyBench {
    private static final Pattern TIME = Pattern.compile("time=([\\d.]+) ms");
    private static final Pattern SENT = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    private final MinimalLinkLab lab = MinimalLinkLab.open("bench-node", "acc");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        LinkAccuracyBench b = new LinkAccuracyBench();
        try {
            System.out.println(LinuxKernel.ops(null).shaping().mechanisms().describe());
            System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
            b.rates(rounds, 10, 50, 100);
            b.delays(rounds, "1ms", "5ms", "20ms", "50ms");
            b.losses(1.0, 5.0);
            System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
        } finally {
            List<String> left = b.lab.teardown();
            if (!left.isEmpty()) {
                System.out.println("LEFT BEHIND: " + left);
            }
        }
    }

    private void shape(LinkParams p) {
        lab.shape(p);
    }

    private void rates(int rounds, double... mbits) throws Exception {
        System.out.println("rate (tbf), iperf3 TCP h1 -> h2, 5 s per round, receiver's figure:");
        for (double want : mbits) {
            shape(LinkParams.builder().bandwidthMbps(want).build());
            double[] got = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                got[i] = LinuxDataplaneIT.iperf(lab.h2(), lab.h1(), lab.h2Address(), 5);
            }
            Arrays.sort(got);
            System.out.printf(Locale.ROOT, "  requested %6.1f Mbit/s  measured median %6.1f (min %6.1f, max %6.1f)  = %5.1f %%%n",
                    want, got[rounds / 2], got[0], got[rounds - 1], 100 * got[rounds / 2] / want);
        }
    }

    private void delays(int rounds, String... delays) {
        shape(new LinkParams());
        ping(20, "0.05");
        double base = percentile(rtts(ping(100 * rounds, "0.05")), 50);
        System.out.printf(Locale.ROOT, "delay (one way), ping h1 -> h2 at 20/s, %d round trips each; unshaped round trip p50 %.3f ms:%n",
                100 * rounds, base);
        for (String d : delays) {
            shape(LinkParams.builder().delay(d).build());
            ping(10, "0.05");
            double[] rt = rtts(ping(100 * rounds, "0.05"));
            double p50 = (percentile(rt, 50) - base) / 2;
            double p99 = (percentile(rt, 99) - base) / 2;
            System.out.printf(Locale.ROOT, "  requested %6s  measured p50 %7.3f ms  p99 %7.3f ms  (round trip p50 %.3f ms)%n",
                    d, p50, p99, percentile(rt, 50));
        }
    }

    private void losses(double... percents) {
        System.out.println("loss (each way), 2000 pings h1 -> h2 at 200/s:");
        for (double want : percents) {
            shape(LinkParams.builder().lossPercent(want).build());
            String out = ping(2000, "0.005");
            Matcher m = SENT.matcher(out);
            if (!m.find()) {
                System.out.println("  no ping summary: " + out);
                continue;
            }
            double sent = Double.parseDouble(m.group(1));
            double roundTrip = 1 - Double.parseDouble(m.group(2)) / sent;
            double oneWay = 1 - Math.sqrt(1 - roundTrip);
            System.out.printf(Locale.ROOT, "  requested %5.2f %%  measured %5.2f %% one way (%5.2f %% of round trips)%n",
                    want, 100 * oneWay, 100 * roundTrip);
        }
    }

    private String ping(int count, String interval) {
        return KernelFixture.inNs(lab.h1(), Duration.ofSeconds(count / 5 + 30), "ping", "-c", String.valueOf(count), "-i", interval,
                "-W", "1", lab.h2Address()).stdout();
    }

    private static double[] rtts(String out) {
        return TIME.matcher(out).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sorted().toArray();
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))];
    }

    private static String loadAverage() {
        CommandRunner.Result r = CommandRunner.run(List.of("cat", "/proc/loadavg"), Duration.ofSeconds(5));
        return r.stdout().strip();
    }
}
