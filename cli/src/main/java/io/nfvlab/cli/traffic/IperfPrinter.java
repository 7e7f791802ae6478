package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.util.ArrayList;
import java.util.List;

/** iperf: Mininet's {@code Results: ['94.1 Mbits/sec']}. */
final class IperfPrinter implements KindPrinter {
    static final IperfPrinter INSTANCE = new IperfPrinter();

    @Override
    public String header(TrafficTestSpec spec, List<String> hosts) {
        return "*** Iperf: testing TCP bandwidth between " + TrafficPrinter.source(spec, hosts) + " and " + TrafficPrinter.destination(spec, hosts);
    }

    @Override
    public void results(StringBuilder sb, TrafficTestSpec spec, TrafficTestStatus status, List<PairResult> results, List<String> hostOrder) {
        List<String> rates = new ArrayList<>();
        results.stream().filter(r -> r.getBitsPerSecond() != null)
                .forEach(r -> rates.add("'" + TrafficSummary.rate(r.getBitsPerSecond()) + "'"));
        if (!rates.isEmpty()) {
            sb.append("*** Results: [").append(String.join(", ", rates)).append("]\n");
        }
    }
}
