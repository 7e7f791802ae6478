package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.util.List;
import java.util.Locale;

/** iperfudp: Mininet's {@code Results: ['10M', '9.9 Mbits/sec']}, with loss and jitter. */
final class IperfUdpPrinter implements KindPrinter {
    static final IperfUdpPrinter INSTANCE = new IperfUdpPrinter();

    @Override
    public String header(TrafficTestSpec spec, List<String> hosts) {
        return "*** Iperf: testing UDP bandwidth between " + TrafficPrinter.source(spec, hosts) + " and " + TrafficPrinter.destination(spec, hosts);
    }

    @Override
    public void results(StringBuilder sb, TrafficTestSpec spec, TrafficTestStatus status, List<PairResult> results, List<String> hostOrder) {
        Double bw = spec.getBandwidthMbps();
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

    /** Mininet writes iperfudp's bandwidth as iperf's -b argument, e.g. '10M'. */
    static String bwLabel(double mbps) {
        return mbps == Math.rint(mbps) ? String.format(Locale.ROOT, "%dM", (long) mbps) : String.format(Locale.ROOT, "%sM", mbps);
    }
}
