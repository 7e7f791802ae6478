package io.nfvlab.agent.traffic.testpmd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What dpdk-testpmd printed: the per-second "NIC statistics" blocks of {@code --stats-period 1} (Rx-pps/Tx-pps since
 * the last block) and the "Forward statistics" totals it prints when it stops.
 */
public final class TestpmdOutput {
    private static final Pattern NIC = Pattern.compile("NIC statistics for port (\\d+)");
    private static final Pattern FORWARD = Pattern.compile("Forward statistics for port (\\d+)");
    private static final Pattern ACCUMULATED = Pattern.compile("Accumulated forward statistics");
    private static final Pattern RX_PPS = Pattern.compile("Rx-pps:\\s+(\\d+)");
    private static final Pattern TX_PPS = Pattern.compile("Tx-pps:\\s+(\\d+)");
    private static final Pattern RX_TOTALS = Pattern.compile("RX-packets:\\s+(\\d+)\\s+RX-dropped:\\s+(\\d+)");
    private static final Pattern TX_TOTALS = Pattern.compile("TX-packets:\\s+(\\d+)\\s+TX-dropped:\\s+(\\d+)");

    /** One port's figures: pps samples in order, and the totals of the whole run (-1 when testpmd printed none). */
    public static final class Port {
        final List<Long> rxPps = new ArrayList<>();
        final List<Long> txPps = new ArrayList<>();
        long rxPackets = -1;
        long rxDropped = -1;
        long txPackets = -1;
        long txDropped = -1;

        public long rxPackets() {
            return rxPackets;
        }

        public long txPackets() {
            return txPackets;
        }

        public long rxDropped() {
            return rxDropped;
        }

        /** Packets testpmd could not hand to the port (its ring was full): back-pressure, not loss in the path. */
        public long txDropped() {
            return txDropped;
        }

        public double rxMpps() {
            return steadyMean(rxPps) / 1e6;
        }

        public double txMpps() {
            return steadyMean(txPps) / 1e6;
        }

        public boolean hasTotals() {
            return rxPackets >= 0 && txPackets >= 0;
        }
    }

    private final Map<Integer, Port> ports = new TreeMap<>();

    public static TestpmdOutput parse(String stdout) {
        TestpmdOutput out = new TestpmdOutput();
        Port current = null;
        boolean totals = false;
        for (String line : stdout.split("\n")) {
            Matcher m;
            if ((m = NIC.matcher(line)).find()) {
                current = out.port(Integer.parseInt(m.group(1)));
                totals = false;
            } else if ((m = FORWARD.matcher(line)).find()) {
                current = out.port(Integer.parseInt(m.group(1)));
                totals = true;
            } else if (ACCUMULATED.matcher(line).find()) {
                current = null;
            } else if (current != null) {
                if (totals && (m = RX_TOTALS.matcher(line)).find()) {
                    current.rxPackets = Long.parseLong(m.group(1));
                    current.rxDropped = Long.parseLong(m.group(2));
                } else if (totals && (m = TX_TOTALS.matcher(line)).find()) {
                    current.txPackets = Long.parseLong(m.group(1));
                    current.txDropped = Long.parseLong(m.group(2));
                } else if (!totals && (m = RX_PPS.matcher(line)).find()) {
                    current.rxPps.add(Long.parseLong(m.group(1)));
                } else if (!totals && (m = TX_PPS.matcher(line)).find()) {
                    current.txPps.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return out;
    }

    public Map<Integer, Port> ports() {
        return ports;
    }

    private Port port(int id) {
        return ports.computeIfAbsent(id, k -> new Port());
    }

    /**
     * Mean of the samples taken while traffic flowed: zero samples (links still coming up) are skipped, and so is the
     * first non-zero one, which covers a partial second.
     */
    static double steadyMean(List<Long> samples) {
        List<Long> flowing = samples.stream().filter(s -> s > 0).toList();
        if (flowing.size() >= 3) {
            flowing = flowing.subList(1, flowing.size());
        }
        return flowing.stream().mapToLong(Long::longValue).average().orElse(0);
    }
}
