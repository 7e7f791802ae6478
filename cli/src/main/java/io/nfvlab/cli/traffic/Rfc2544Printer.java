package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.Rfc2544Row;
import io.nfvlab.api.traffic.Rfc2544Spec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.kinds.Rfc2544Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * rfc2544: the run summary NFVbench prints, a grid with an NDR and a PDR line per frame size (rate in Gbit/s on the
 * wire and in Mpps, percent of line, the loss of the verifying trial, latency at 50 % of the NDR), then latency at
 * 10 and 90 %, back-to-back and the loss curve where measured, and what a frame size did not find.
 */
final class Rfc2544Printer implements KindPrinter {
    static final Rfc2544Printer INSTANCE = new Rfc2544Printer();
    private static final String[] HEADER = {"L2 Frame Size", "Rate", "Rate (Gbps)", "Rate (Mpps)", "% of line", "Drop Rate",
            "Avg Lat.50% (usec)", "Min Lat.50% (usec)", "Max Lat.50% (usec)", "p99 Lat.50% (usec)"};

    @Override
    public String header(TrafficTestSpec spec, List<String> hosts) {
        Rfc2544Spec r = spec.getRfc2544();
        String path;
        if (!Rfc2544Kind.onDpdk(r)) {
            path = "iperf3 UDP " + TrafficPrinter.source(spec, hosts) + " -> " + TrafficPrinter.destination(spec, hosts);
        } else if (Rfc2544Kind.bridgeIsDut(r)) {
            path = "DPDK generator on " + r.getDpdk().getGenerator() + " -> the DpdkBridge -> counted on " + r.getDpdk().getDut();
        } else {
            path = "DPDK generator on " + r.getDpdk().getGenerator() + ", testpmd " + Rfc2544Kind.dutMode(r) + " on " + r.getDpdk().getDut();
        }
        return "*** rfc2544: frame sizes " + String.join(", ", Rfc2544Kind.frameSizes(r)) + " (" + path + ")";
    }

    @Override
    public void results(StringBuilder sb, TrafficTestSpec spec, TrafficTestStatus status, List<PairResult> results, List<String> hostOrder) {
        List<Rfc2544Row> rows = status == null || status.getRfc2544() == null ? List.of() : status.getRfc2544();
        if (!rows.isEmpty()) {
            sb.append(table(spec.getRfc2544(), rows));
        }
        for (Rfc2544Row r : rows) {
            String size = r.getFrameSize();
            if (r.getLatency() != null) {
                for (Rfc2544Row.LatencyAt l : r.getLatency()) {
                    if (l.getNdrPercent() != 50) {
                        sb.append(String.format(Locale.ROOT, "*** %s: latency at %d%% of NDR: avg %s, min %s, max %s, p99 %s usec%n", size,
                                l.getNdrPercent(), us(l.getAvgUs()), us(l.getMinUs()), us(l.getMaxUs()), us(l.getP99Us())));
                    }
                }
            }
            if (r.getBackToBackFrames() != null) {
                sb.append("*** ").append(size).append(": back-to-back ").append(r.getBackToBackFrames()).append(" frames\n");
            }
            if (r.getLossCurve() != null) {
                sb.append("*** ").append(size).append(": frame loss ").append(r.getLossCurve().stream()
                        .map(l -> l.getLinePercent() + "%:" + pct(l.getLossPercent()) + (l.getAchievedPercent() == null ? ""
                                : " (offered " + String.format(Locale.ROOT, "%.1f", l.getAchievedPercent()) + "%)"))
                        .collect(Collectors.joining(", "))).append('\n');
            }
            if (r.getError() != null) {
                sb.append("*** ").append(size).append(": ").append(r.getError()).append('\n');
            }
        }
        if (status != null && status.getSummary() != null) {
            sb.append("*** ").append(status.getSummary()).append('\n');
        }
    }

    /** The NFVbench-style grid. */
    static String table(Rfc2544Spec spec, List<Rfc2544Row> rows) {
        double ndrLoss = spec == null || spec.getNdrLossPercent() == null ? 0 : spec.getNdrLossPercent();
        List<String[]> lines = new ArrayList<>();
        for (Rfc2544Row r : rows) {
            Rfc2544Row.LatencyAt half = r.getLatency() == null ? null
                    : r.getLatency().stream().filter(l -> l.getNdrPercent() == 50).findFirst().orElse(null);
            lines.add(new String[]{r.getFrameSize(), "NDR", num(r.getNdrGbps(), 4), num(r.getNdrMpps(), 4), num(r.getNdrPercent(), 2),
                    r.getNdrMpps() == null ? "-" : "<= " + pct(ndrLoss),
                    half == null ? "-" : us(half.getAvgUs()), half == null ? "-" : us(half.getMinUs()),
                    half == null ? "-" : us(half.getMaxUs()), half == null ? "-" : us(half.getP99Us())});
            lines.add(new String[]{"", "PDR", num(r.getPdrGbps(), 4), num(r.getPdrMpps(), 4), num(r.getPdrPercent(), 2),
                    r.getPdrLossPercent() == null ? "-" : pct(r.getPdrLossPercent()), "", "", "", ""});
        }
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
            for (String[] l : lines) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        String rule = rule(width, '-');
        sb.append(rule).append(line(HEADER, width)).append(rule(width, '='));
        for (int i = 0; i < lines.size(); i++) {
            sb.append(line(lines.get(i), width));
            if (i % 2 == 1) {
                sb.append(rule);
            }
        }
        return sb.toString();
    }

    private static String rule(int[] width, char c) {
        StringBuilder sb = new StringBuilder("+");
        for (int w : width) {
            sb.append(String.valueOf(c).repeat(w + 2)).append('+');
        }
        return sb.append('\n').toString();
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            // numbers right-aligned, as NFVbench's tables
            sb.append(' ').append(i == 0 ? cells[i] + pad : pad + cells[i]).append(" |");
        }
        return sb.append('\n').toString();
    }

    private static String num(Double d, int decimals) {
        return d == null ? "none" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }

    private static String us(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String pct(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f%%", d);
    }
}
