package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.util.List;

/** How the CLI prints one kind of traffic test, as Mininet prints its tests. */
interface KindPrinter {
    /** The "*** …" line before the test starts. */
    String header(TrafficTestSpec spec, List<String> hosts);

    /** The per-pair lines and the Results line (status may be null while nothing was reported). */
    void results(StringBuilder sb, TrafficTestSpec spec, TrafficTestStatus status, List<PairResult> results, List<String> hostOrder);
}
