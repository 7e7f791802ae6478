package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.util.List;

/** throughput-search: the rate found and the operator's NDR/PDR line. */
final class SearchPrinter implements KindPrinter {
    static final SearchPrinter INSTANCE = new SearchPrinter();

    @Override
    public String header(TrafficTestSpec spec, List<String> hosts) {
        return "*** " + spec.getType().wireName() + ": running";
    }

    @Override
    public void results(StringBuilder sb, TrafficTestSpec spec, TrafficTestStatus status, List<PairResult> results, List<String> hostOrder) {
        TestpmdPrinter.ratesAndSummary(sb, status, results);
    }
}
