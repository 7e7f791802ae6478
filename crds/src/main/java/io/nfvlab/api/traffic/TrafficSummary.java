package io.nfvlab.api.traffic;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Mininet's summary lines, shared by the agent (logs), the operator (status.summary) and the CLI. */
public final class TrafficSummary {
    private TrafficSummary() {
    }

    /**
     * Mininet's pingall/pingpair line: {@code Results: 0% dropped (12/12 received)}. Mininet computes
     * {@code ploss = 100.0 * lost / packets} and prints it with {@code %i%%}, which truncates (Python's %i on a float);
     * we do the same so that 1 lost of 12 prints 8%, as Mininet does.
     */
    public static String pingResults(long sent, long received) {
        long lost = sent - received;
        int percent = sent == 0 ? 0 : (int) (100.0 * lost / sent);
        return "Results: " + percent + "% dropped (" + received + "/" + sent + " received)";
    }

    public static String pingResults(List<PairResult> results) {
        long sent = results.stream().map(PairResult::getSent).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
        long received = results.stream().map(PairResult::getReceived).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
        return pingResults(sent, received);
    }

    /** Mininet's iperf line: {@code Results: ['94.1 Mbits/sec', ...]} shortened to one pair's figure. */
    public static String rate(double bitsPerSecond) {
        if (bitsPerSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbits/sec", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1f Mbits/sec", bitsPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f Kbits/sec", bitsPerSecond / 1e3);
    }

    /** A pair as status messages name it: {@code h1 → h2}, or testpmd for its port-to-port results. */
    public static String pair(PairResult r) {
        return r.getSource() == null ? "testpmd" : r.getSource() + " → " + r.getDestination();
    }

    /** A figure as messages print it: whole numbers without decimals, others with up to three. */
    public static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }
}
