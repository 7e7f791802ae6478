package io.nfvlab.cli;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a traffic test the way Mininet prints its tests: a "*** …" header, per-host lines, a Results line. */
public final class TrafficPrinter {
    private TrafficPrinter() {
    }

    /** The line Mininet prints before a test starts. */
    public static String header(TrafficTestSpec spec, List<String> hosts) {
        TrafficType type = spec.getType();
        return switch (type) {
            case PINGALL, PINGPAIR, PING -> "*** Ping: testing ping reachability";
            case IPERF -> "*** Iperf: testing TCP bandwidth between " + source(spec, hosts) + " and " + destination(spec, hosts);
            case IPERFUDP -> "*** Iperf: testing UDP bandwidth between " + source(spec, hosts) + " and " + destination(spec, hosts);
            case TESTPMD -> testpmdHeader(spec);
            default -> "*** " + wire(type) + ": running";
        };
    }

    private static String testpmdHeader(TrafficTestSpec spec) {
        TestpmdSpec t = spec.getTestpmd();
        if (t == null) {
            return "*** testpmd";
        }
        String mode = t.getMode() == null ? "flowgen" : t.getMode();
        if (t.getHosts() != null) {
            return "*** testpmd: " + String.join(" <-> ", t.getHosts()) + " (vhostUser hosts of " + spec.getTopologyRef().getName()
                    + ", " + mode + ")";
        }
        return "*** testpmd: " + (t.getPorts() == null ? "" : String.join(" <-> ", t.getPorts()) + " ") + "on DpdkBridge "
                + t.getBridgeRef() + " (" + mode + ")";
    }

    /** Everything after the header: per-pair lines, the Results line, and how long the test took. */
    public static String body(TrafficTest test, List<String> hostOrder, Duration elapsed) {
        StringBuilder sb = new StringBuilder();
        TrafficTestStatus status = test.getStatus();
        List<PairResult> results = status == null || status.getResults() == null ? List.of() : status.getResults();
        TrafficType type = test.getSpec().getType();
        switch (type) {
            case PINGALL, PINGPAIR, PING -> {
                pingLines(sb, results, hostOrder);
                if (!results.isEmpty()) {
                    sb.append("*** ").append(summaryOr(status, TrafficSummary.pingResults(results))).append('\n');
                }
            }
            case IPERF -> {
                List<String> rates = new ArrayList<>();
                results.stream().filter(r -> r.getBitsPerSecond() != null)
                        .forEach(r -> rates.add("'" + TrafficSummary.rate(r.getBitsPerSecond()) + "'"));
                if (!rates.isEmpty()) {
                    sb.append("*** Results: [").append(String.join(", ", rates)).append("]\n");
                }
            }
            case IPERFUDP -> {
                Double bw = test.getSpec().getBandwidthMbps();
                for (PairResult r : results) {
                    if (r.getBitsPerSecond() == null) {
                        continue;
                    }
                    sb.append("*** Results: ['").append(bwLabel(bw == null ? 10.0 : bw)).append("', '")
                            .append(TrafficSummary.rate(r.getBitsPerSecond())).append("']");
                    if (r.getLossPercent() != null) {
                        sb.append(String.format(Locale.ROOT, " loss %.2f%%", r.getLossPercent()));
                    }
                    if (r.getJitterMs() != null) {
                        sb.append(String.format(Locale.ROOT, " jitter %.3f ms", r.getJitterMs()));
                    }
                    sb.append('\n');
                }
            }
            default -> {
                for (PairResult r : results) {
                    if (r.getTxMpps() != null || r.getRxMpps() != null) {
                        sb.append(String.format(Locale.ROOT, "*** %s -> %s: tx %.3f Mpps, rx %.3f Mpps%n",
                                r.getSource(), r.getDestination(), nz(r.getTxMpps()), nz(r.getRxMpps())));
                    }
                }
                if (status != null && status.getFoundRate() != null) {
                    sb.append(String.format(Locale.ROOT, "*** Highest rate within the loss threshold: %.3f%n", status.getFoundRate()));
                }
                if (status != null && status.getSummary() != null) {
                    sb.append("*** ").append(status.getSummary()).append('\n');
                }
            }
        }
        for (PairResult r : results) {
            if (r.getError() != null && !r.getError().isBlank()) {
                sb.append("*** ").append(r.getSource()).append(" -> ").append(r.getDestination()).append(": ")
                        .append(Errors.flatten(r.getError())).append('\n');
            }
        }
        if (status != null && status.getPhase() == TrafficTestStatus.Phase.FAILED) {
            sb.append("*** Failed: ").append(status.getMessage() == null ? "(no reason given)" : Errors.flatten(status.getMessage()))
                    .append('\n');
        }
        sb.append(String.format(Locale.ROOT, "*** %s %s completed in %.2f seconds%n", wire(type),
                test.getMetadata().getName(), elapsed.toMillis() / 1000.0));
        return sb.toString();
    }

    /** "h1 -> h2 h3 X" for every source, in host order, as Mininet's pingall prints. */
    private static void pingLines(StringBuilder sb, List<PairResult> results, List<String> hostOrder) {
        Map<String, List<PairResult>> bySource = new LinkedHashMap<>();
        for (String h : hostOrder) {
            bySource.put(h, new ArrayList<>());
        }
        for (PairResult r : results) {
            bySource.computeIfAbsent(r.getSource(), k -> new ArrayList<>()).add(r);
        }
        bySource.forEach((source, list) -> {
            if (list.isEmpty()) {
                return;
            }
            sb.append(source).append(" ->");
            for (PairResult r : list) {
                sb.append(' ').append(r.getReceived() != null && r.getReceived() > 0 ? r.getDestination() : "X");
            }
            sb.append('\n');
        });
    }

    private static String summaryOr(TrafficTestStatus status, String computed) {
        String s = status == null ? null : status.getSummary();
        return s != null && s.startsWith("Results:") ? s : computed;
    }

    static String source(TrafficTestSpec spec, List<String> hosts) {
        return spec.getSource() != null ? spec.getSource() : hosts.isEmpty() ? "?" : hosts.get(0);
    }

    static String destination(TrafficTestSpec spec, List<String> hosts) {
        return spec.getDestination() != null ? spec.getDestination() : hosts.isEmpty() ? "?" : hosts.get(hosts.size() - 1);
    }

    /** Mininet writes iperfudp's bandwidth as iperf's -b argument, e.g. '10M'. */
    static String bwLabel(double mbps) {
        return mbps == Math.rint(mbps) ? String.format(Locale.ROOT, "%dM", (long) mbps) : String.format(Locale.ROOT, "%sM", mbps);
    }

    public static String wire(TrafficType type) {
        return switch (type) {
            case PING -> "ping";
            case PINGPAIR -> "pingpair";
            case PINGALL -> "pingall";
            case IPERF -> "iperf";
            case IPERFUDP -> "iperfudp";
            case TESTPMD -> "testpmd";
            case THROUGHPUT_SEARCH -> "throughput-search";
            case RFC2544 -> "rfc2544";
        };
    }

    private static double nz(Double d) {
        return d == null ? 0 : d;
    }
}
