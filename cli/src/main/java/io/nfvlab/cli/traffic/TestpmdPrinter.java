package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TestpmdSpec;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;

import java.util.List;
import java.util.Locale;

/** testpmd: what it attaches to, then Mpps per direction and the summary. */
final class TestpmdPrinter implements KindPrinter {
    static final TestpmdPrinter INSTANCE = new TestpmdPrinter();

    @Override
    public String header(TrafficTestSpec spec, List<String> hosts) {
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

    @Override
    public void results(StringBuilder sb, TrafficTestSpec spec, TrafficTestStatus status, List<PairResult> results, List<String> hostOrder) {
        ratesAndSummary(sb, status, results);
    }

    /** Mpps per direction, the rate a search found, and the operator's summary line. */
    static void ratesAndSummary(StringBuilder sb, TrafficTestStatus status, List<PairResult> results) {
        for (PairResult r : results) {
            if (r.getTxMpps() != null || r.getRxMpps() != null) {
                sb.append(String.format(Locale.ROOT, "*** %s -> %s: tx %.3f Mpps, rx %.3f Mpps%n",
                        r.getSource(), r.getDestination(), TrafficPrinter.nz(r.getTxMpps()), TrafficPrinter.nz(r.getRxMpps())));
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
