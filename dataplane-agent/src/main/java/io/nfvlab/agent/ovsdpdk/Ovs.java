package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.List;

/**
 * ovs-ofctl (OpenFlow: flow tables, which OVSDB does not hold) as argument vectors. Every call carries
 * {@code --timeout}: without it the command blocks forever while ovs-vswitchd is down. Bridges and ports go through
 * ovsdb-server (io.nfvlab.agent.ovs), not ovs-vsctl.
 */
public final class Ovs {
    static final int OFCTL_TIMEOUT_SECONDS = 10;
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(OFCTL_TIMEOUT_SECONDS + 5);

    private Ovs() {
    }

    /** The bridge's flows as ovs-ofctl prints them with port names and without counters, one per line. */
    public static List<String> dumpFlows(String bridge) {
        String out = CommandRunner.run(List.of("ovs-ofctl", "--timeout=" + OFCTL_TIMEOUT_SECONDS, "--names", "--no-stats",
                        "dump-flows", bridge), PROCESS_TIMEOUT)
                .orThrow().stdout();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("NXST_FLOW")
                && !l.startsWith("OFPST_FLOW")).sorted().toList();
    }

    /** Replaces the bridge's flow table atomically (an OpenFlow bundle), changing only rules that differ. */
    public static void replaceFlows(String bridge, List<String> flows) {
        CommandRunner.run(List.of("ovs-ofctl", "--timeout=" + OFCTL_TIMEOUT_SECONDS, "--bundle", "replace-flows", bridge, "-"),
                String.join("\n", flows) + "\n", PROCESS_TIMEOUT).orThrow();
    }
}
