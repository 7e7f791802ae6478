package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ping, pingpair and pingall: "h1 -> h2 h3 X" per source, as Mininet's pingall, then its Results line. */
final class PingPrinter implements KindPrinter {
    static final PingPrinter INSTANCE = new PingPrinter();

    @Override
    public String header(TrafficTestSpec spec, List<String> hosts) {
        return "*** Ping: testing ping reachability";
    }

    @Override
    public void results(StringBuilder sb, TrafficTestSpec spec, TrafficTestStatus status, List<PairResult> results, List<String> hostOrder) {
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
        if (!results.isEmpty()) {
            String s = status == null ? null : status.getSummary();
            sb.append("*** ").append(s != null && s.startsWith("Results:") ? s : TrafficSummary.pingResults(results)).append('\n');
        }
    }
}
