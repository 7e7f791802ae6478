package io.nfvlab.agent.bench;

import io.nfvlab.agent.kernel.linux.LinuxKernel;
import io.nfvlab.agent.testing.OneNodePlans;
import io.nfvlab.agent.kernel.NodeDataplane;
import io.nfvlab.agent.kernel.SyncReport;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.topology.BuiltinTopology;
import io.nfvlab.api.topology.SwitchKind;
import io.nfvlab.api.topology.VirtualTopologySpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Benchmark: time for the agent's Linux dataplane to realize and tear down built-in topologies, next to Mininet's
 * {@code mn --topo … --controller none --test none} for the same topology. Prints a table; asserts nothing.
 * Usage: {@code AgentBench [--no-mininet] [--runs N] [--big] [--topo T]…} (--big adds the 1000-host tree, depth=3
 * fanout=10; each --topo runs only that topology, Linux bridges, agent only, e.g. {@code --topo tree,depth=2,fanout=100}).
 * A small tree is built and torn down first with each switch kind, untimed, as a warm-up.
 */
public final class AgentBench {
    private AgentBench() {
    }

    record Row(String topo, String kind, double realize, double teardown, Mininet mininet, int actions) {
    }

    /** Mininet's build (Mininet(...) + start) and stop, and the wall time of the whole run (Python start-up too). */
    record Mininet(double build, double stop, double wall) {
    }

    public static void main(String[] args) {
        boolean mininet = !List.of(args).contains("--no-mininet");
        boolean big = List.of(args).contains("--big");
        boolean huge = List.of(args).contains("--huge");
        int runs = 1;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--runs")) runs = Integer.parseInt(args[i + 1]);
            if (args[i].equals("--topo")) only.add(args[i + 1]);
        }
        List<Row> rows = new ArrayList<>();
        String node = "bench-" + UUID.randomUUID().toString().substring(0, 6);
        try (NodeDataplane dp = LinuxKernel.dataplane().open(node, null)) {
            // the agent is a long-running daemon: time it warm, not the JIT compiling its first sync
            for (SwitchKind kind : List.of(SwitchKind.LINUX_BRIDGE, SwitchKind.OVS)) {
                run(dp, node, "tree,depth=2,fanout=4", kind, false);
            }
            for (String topo : only) {
                for (int r = 0; r < runs; r++) {
                    rows.add(run(dp, node, topo, SwitchKind.LINUX_BRIDGE, false));
                }
            }
            for (String topo : only.isEmpty() ? List.of("linear,100", "tree,depth=2,fanout=8") : List.<String>of()) {
                for (SwitchKind kind : List.of(SwitchKind.LINUX_BRIDGE, SwitchKind.OVS)) {
                    for (int r = 0; r < runs; r++) {
                        rows.add(run(dp, node, topo, kind, mininet));
                    }
                }
            }
            if (big) {
                rows.add(run(dp, node, "tree,depth=3,fanout=10", SwitchKind.LINUX_BRIDGE, false));
            }
            if (huge) {
                rows.add(run(dp, node, "tree,depth=2,fanout=100", SwitchKind.LINUX_BRIDGE, false));
            }
        }
        System.out.println();
        System.out.printf("%-24s %-13s %7s %7s %7s %7s %8s %8s %8s %7s %7s%n", "topology", "switch", "actions", "build s",
                "down s", "total s", "mn build", "mn stop", "mn wall", "build x", "total x");
        for (Row r : rows) {
            double total = r.realize + r.teardown;
            Mininet m = r.mininet;
            System.out.printf(Locale.ROOT, "%-24s %-13s %7d %7.2f %7.2f %7.2f %8s %8s %8s %7s %7s%n", r.topo, r.kind, r.actions,
                    r.realize, r.teardown, total, m == null ? "-" : secs(m.build()), m == null ? "-" : secs(m.stop()),
                    m == null ? "-" : secs(m.wall()), m == null ? "-" : ratio(m.build() / r.realize),
                    m == null ? "-" : ratio(m.wall() / total));
        }
        System.out.println("build x: Mininet's build over the agent's; total x: Mininet's whole run (mn --test none) over the "
                + "agent's build + teardown");
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.2f", s);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.1fx", r);
    }

    private static Row run(NodeDataplane dp, String node, String topo, SwitchKind kind, boolean mininet) {
        NetworkNodeState s = OneNodePlans.state("bench-" + UUID.randomUUID().toString().substring(0, 8), node,
                VirtualTopologySpec.builder().switchKind(kind).topology(BuiltinTopology.builder().type(topo).build()).build());
        long t0 = System.nanoTime();
        SyncReport built = dp.sync(s);
        long t1 = System.nanoTime();
        if (!built.errors().isEmpty()) {
            System.err.println(topo + " " + kind.wireName() + ": " + built.errors().size() + " errors, first " + built.errors().get(0));
        }
        SyncReport again = dp.sync(s);
        long t2 = System.nanoTime();
        SyncReport down = dp.teardown(s);
        long t3 = System.nanoTime();
        // what the teardown left to the kernel (a switch namespace) or ovs-vswitchd (bridge devices), followed to its end
        var releases = ((io.nfvlab.agent.kernel.KernelDataplane) dp).releases();
        while (!releases.pending().isEmpty() && System.nanoTime() - t3 < 120_000_000_000L) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long t4 = System.nanoTime();
        System.err.printf(Locale.ROOT, "%s %s: build %.2f s (%d actions), idle re-sync %.2f s (%d actions), teardown %.2f s, "
                        + "kernel/ovs-vswitchd done %.2f s after it%n", topo, kind.wireName(), (t1 - t0) / 1e9, built.actions(),
                (t2 - t1) / 1e9, again.actions(), (t3 - t2) / 1e9, (t4 - t3) / 1e9);
        if (!down.errors().isEmpty()) {
            System.err.println("teardown errors: " + down.errors());
        }
        Mininet mn = mininet ? mininet(topo, kind) : null;
        return new Row(topo, kind.wireName(), (t1 - t0) / 1e9, (t3 - t2) / 1e9, mn, built.actions());
    }

    /**
     * Mininet building and stopping the same topology, phase by phase (bench/agent/mininet_phases.py: what
     * {@code mn --topo … --controller none --test none} does); never {@code mn -c}.
     */
    private static Mininet mininet(String topo, SwitchKind kind) {
        String sw = kind == SwitchKind.OVS ? "ovs-user" : "lxbr";
        long t0 = System.nanoTime();
        CommandRunner.Result r = CommandRunner.run(List.of("/usr/bin/python3", "bench/agent/mininet_phases.py", topo, sw), Duration.ofMinutes(5));
        double wall = (System.nanoTime() - t0) / 1e9;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("mininet build=([0-9.]+) stop=([0-9.]+)").matcher(r.stdout());
        if (!r.ok() || !m.find()) {
            System.err.println("mininet failed: " + r.describe());
            return null;
        }
        return new Mininet(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), wall);
    }
}
