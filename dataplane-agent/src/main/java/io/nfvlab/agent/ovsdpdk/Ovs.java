package io.nfvlab.agent.ovsdpdk;

import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * ovs-vsctl and ovs-ofctl as argument vectors. Every ovs-vsctl call carries {@code --timeout}: without it the
 * command blocks forever while ovs-vswitchd is down.
 */
public final class Ovs {
    static final int VSCTL_TIMEOUT_SECONDS = 10;
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(VSCTL_TIMEOUT_SECONDS + 5);

    private Ovs() {
    }

    /** {@code ovs-vsctl --timeout=10 [--format=json] -- cmd1 -- cmd2 …}: one OVSDB transaction. */
    public static CommandRunner.Result vsctl(boolean json, List<List<String>> commands) {
        List<String> argv = new ArrayList<>(List.of("ovs-vsctl", "--timeout=" + VSCTL_TIMEOUT_SECONDS));
        if (json) {
            argv.add("--format=json");
        }
        for (List<String> command : commands) {
            argv.add("--");
            argv.addAll(command);
        }
        return CommandRunner.run(argv, PROCESS_TIMEOUT);
    }

    public static List<OvsTable> query(List<List<String>> commands) {
        return OvsTable.parseAll(vsctl(true, commands).orThrow().stdout());
    }

    /** The bridge's flows as ovs-ofctl prints them with port names and without counters, one per line. */
    public static List<String> dumpFlows(String bridge) {
        String out = CommandRunner.run(List.of("ovs-ofctl", "--timeout=" + VSCTL_TIMEOUT_SECONDS, "--names", "--no-stats",
                        "dump-flows", bridge), PROCESS_TIMEOUT)
                .orThrow().stdout();
        return out.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("NXST_FLOW")
                && !l.startsWith("OFPST_FLOW")).sorted().toList();
    }

    /** Replaces the bridge's flow table atomically (an OpenFlow bundle), changing only rules that differ. */
    public static void replaceFlows(String bridge, List<String> flows) {
        CommandRunner.run(List.of("ovs-ofctl", "--timeout=" + VSCTL_TIMEOUT_SECONDS, "--bundle", "replace-flows", bridge, "-"),
                String.join("\n", flows) + "\n", PROCESS_TIMEOUT).orThrow();
    }

    /** OVSDB string literal: validated names and paths never contain quotes or backslashes, but quote them anyway. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
