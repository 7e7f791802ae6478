package io.nfvlab.cli.traffic;

import io.nfvlab.api.traffic.PairResult;
import io.nfvlab.api.traffic.TrafficTest;
import io.nfvlab.api.traffic.TrafficTestSpec;
import io.nfvlab.api.traffic.TrafficTestStatus;
import io.nfvlab.api.traffic.TrafficType;
import io.nfvlab.cli.Errors;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints a traffic test the way Mininet prints its tests: a "*** …" header, per-host lines, a Results line. The
 * lines that depend on the type come from its kind's printer ({@link #printerOf}); errors, the failure reason and the
 * timing are the same for every kind.
 */
public final class TrafficPrinter {
    private TrafficPrinter() {
    }

    /** The printer of each type's kind; no default, so a new type needs its printer here. */
    static KindPrinter printerOf(TrafficType type) {
        return switch (type) {
            case PING, PINGPAIR, PINGALL -> PingPrinter.INSTANCE;
            case IPERF -> IperfPrinter.INSTANCE;
            case IPERFUDP -> IperfUdpPrinter.INSTANCE;
            case TESTPMD -> TestpmdPrinter.INSTANCE;
            case THROUGHPUT_SEARCH -> SearchPrinter.INSTANCE;
            case RFC2544 -> Rfc2544Printer.INSTANCE;
        };
    }

    /** The line Mininet prints before a test starts. */
    public static String header(TrafficTestSpec spec, List<String> hosts) {
        return printerOf(spec.getType()).header(spec, hosts);
    }

    /** Everything after the header: per-pair lines, the Results line, and how long the test took. */
    public static String body(TrafficTest test, List<String> hostOrder, Duration elapsed) {
        StringBuilder sb = new StringBuilder();
        TrafficTestStatus status = test.getStatus();
        List<PairResult> results = status == null || status.getResults() == null ? List.of() : status.getResults();
        TrafficType type = test.getSpec().getType();
        printerOf(type).results(sb, test.getSpec(), status, results, hostOrder);
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
        if (status != null && status.getAttempt() != null && test.getSpec().getRetry() != null) {
            // spec.retry: say which attempt decided, so that a pass after retries is never mistaken for a first pass
            sb.append(String.format(Locale.ROOT, "*** %s on attempt %d of %d%n",
                    status.getPhase() == TrafficTestStatus.Phase.SUCCEEDED ? "Passed" : "Failed", status.getAttempt(),
                    test.getSpec().getRetry().getAttempts()));
        }
        sb.append(String.format(Locale.ROOT, "*** %s %s completed in %.2f seconds%n", type.wireName(),
                test.getMetadata().getName(), elapsed.toMillis() / 1000.0));
        return sb.toString();
    }

    static String source(TrafficTestSpec spec, List<String> hosts) {
        return spec.getSource() != null ? spec.getSource() : hosts.isEmpty() ? "?" : hosts.get(0);
    }

    static String destination(TrafficTestSpec spec, List<String> hosts) {
        return spec.getDestination() != null ? spec.getDestination() : hosts.isEmpty() ? "?" : hosts.get(hosts.size() - 1);
    }

    static double nz(Double d) {
        return d == null ? 0 : d;
    }
}
