package io.nfvlab.agent.traffic;

import io.nfvlab.api.traffic.PairResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the statistics iputils {@code ping} and {@code fping -c} print (run with LC_ALL=C). */
public final class PingParser {
    private static final Pattern PING_COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern PING_RTT = Pattern.compile("rtt min/avg/max/mdev = ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");
    // fping -c N -q, one line per target on stderr:
    // 10.0.0.2 : xmt/rcv/%loss = 1/1/0%, min/avg/max = 0.051/0.051/0.051
    private static final Pattern FPING_LINE = Pattern.compile(
            "^(\\S+)\\s+:\\s+xmt/rcv/%loss = (\\d+)/(\\d+)/\\d+%(?:, min/avg/max = ([\\d.]+)/([\\d.]+)/([\\d.]+))?", Pattern.MULTILINE);

    private PingParser() {
    }

    /** The counters and round-trip times of one ping run; throws when the output has no statistics block. */
    public static PairResult ping(String output) {
        Matcher counts = PING_COUNTS.matcher(output);
        if (!counts.find()) {
            String first = output.strip().lines().findFirst().orElse("no output");
            throw new TrafficJobException("ping printed no statistics: " + first);
        }
        long sent = Long.parseLong(counts.group(1));
        long received = Long.parseLong(counts.group(2));
        PairResult.PairResultBuilder result = PairResult.builder()
                .sent(sent)
                .received(received)
                .lossPercent(lossPercent(sent, received));
        Matcher rtt = PING_RTT.matcher(output);
        if (rtt.find()) {
            result.rttMinMs(Double.parseDouble(rtt.group(1)))
                    .rttAvgMs(Double.parseDouble(rtt.group(2)))
                    .rttMaxMs(Double.parseDouble(rtt.group(3)))
                    .rttMdevMs(Double.parseDouble(rtt.group(4)));
        }
        return result.build();
    }

    /** fping's per-target summary lines, keyed by target address in output order. */
    public static Map<String, PairResult> fping(String output) {
        Map<String, PairResult> results = new LinkedHashMap<>();
        Matcher m = FPING_LINE.matcher(output);
        while (m.find()) {
            long sent = Long.parseLong(m.group(2));
            long received = Long.parseLong(m.group(3));
            PairResult.PairResultBuilder r = PairResult.builder().sent(sent).received(received).lossPercent(lossPercent(sent, received));
            if (m.group(4) != null) {
                r.rttMinMs(Double.parseDouble(m.group(4))).rttAvgMs(Double.parseDouble(m.group(5))).rttMaxMs(Double.parseDouble(m.group(6)));
            }
            results.put(m.group(1), r.build());
        }
        return results;
    }

    static double lossPercent(long sent, long received) {
        return sent == 0 ? 100.0 : 100.0 * (sent - received) / sent;
    }
}
