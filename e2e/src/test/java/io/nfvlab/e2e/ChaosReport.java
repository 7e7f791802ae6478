package io.nfvlab.e2e;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Faults injected and recovered, by kind, and what each unrecovered one left. */
final class ChaosReport {
    enum Fault {
        AGENT_KILL_DURING_BUILD, AGENT_KILL_DURING_SHAPING, AGENT_KILL_DURING_TRAFFIC, AGENT_KILL_DURING_TEARDOWN,
        AGENT_KILL_DURING_DPDK_TRANSACTION, AGENT_KILL_DURING_CNI_ADD, OPERATOR_KILL_MID_RECONCILE, API_SERVER_RESTART
    }

    private final Map<Fault, int[]> counts = new EnumMap<>(Fault.class);
    private final Map<String, Integer> tallies = new java.util.TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void injected(Fault fault) {
        counts.computeIfAbsent(fault, f -> new int[2])[0]++;
    }

    void recovered(Fault fault) {
        counts.computeIfAbsent(fault, f -> new int[2])[1]++;
    }

    void failed(Fault fault, int round, String why) {
        failures.add("round " + round + " " + fault + ": " + why);
    }

    /** Something true and worth reading that is not a failure (a traffic test that failed honestly after a kill). */
    void note(String line) {
        notes.add(line);
    }

    /** Counts how often something worth knowing happened (where a kill landed: a CNI ADD answered or cut short). */
    void tally(String what) {
        tallies.merge(what, 1, Integer::sum);
    }

    int injected() {
        return counts.values().stream().mapToInt(c -> c[0]).sum();
    }

    int recovered() {
        return counts.values().stream().mapToInt(c -> c[1]).sum();
    }

    List<String> failures() {
        return failures;
    }

    void print(PrintStream out) {
        out.println("nfvlab chaos: faults injected " + injected() + ", recovered " + recovered());
        counts.forEach((fault, c) -> out.printf("  %-34s injected %3d  recovered %3d%n", fault, c[0], c[1]));
        tallies.forEach((what, n) -> out.printf("  %-34s %3d%n", what, n));
        notes.forEach(n -> out.println("  note: " + n));
        failures.forEach(f -> out.println("  NOT RECOVERED: " + f));
    }
}
