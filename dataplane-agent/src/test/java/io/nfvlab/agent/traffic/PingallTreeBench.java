package io.nfvlab.agent.traffic;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.traffic.dispatch.ProcessTrafficJobs;
import io.nfvlab.api.node.NetworkNodeState;
import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.OwnerRef;
import io.nfvlab.api.node.TrafficJob;
import io.nfvlab.api.node.TrafficJob.JobPair;
import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.node.TrafficJobResult.JobPhase;
import io.nfvlab.api.traffic.TrafficSummary;
import io.nfvlab.api.traffic.TrafficType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (run by bench/traffic/run-pingall-tree.sh, not by the test suite): pingall over Mininet's
 * tree,depth=2,fanout=8 — 64 hosts, 4032 ordered pairs — with the agent's ProcessTrafficJobs, against Mininet's own
 * net.pingAll() on the same topology (Linux bridges, no controller). Both sides time the pingall only, not setup.
 * The nfvlab topology is a {@link TreeLab} (namespaces bpt*-…, hosts h1…h64 at 10.0.0.N/8, bridges s1…s9 in one
 * switch namespace), deleted afterwards. Round 1 starts from empty neighbour caches, as Mininet's pingAll does.
 */
public final class PingallTreeBench {
    private static final int FANOUT = 8;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int hosts = FANOUT * FANOUT;
        // the kernel's ARP table is shared by all namespaces: a full pingall needs hosts*(hosts-1) entries at once,
        // more than the default gc_thresh3 (1024). PingRunner raises it before echoing (its message says so); Mininet,
        // which runs second here, then finds it raised too (with 1024 it loses the pings past the limit)
        System.out.println("net.ipv4.neigh.default.gc_thresh3 = " + neighbourLimit());
        List<Double> ours = new ArrayList<>();
        String summary = "";
        TreeLab lab = new TreeLab("bpt", FANOUT);
        try (ProcessTrafficJobs jobs = new ProcessTrafficJobs(new SimpleMeterRegistry())) {
            for (int round = 1; round <= rounds; round++) {
                long start = System.nanoTime();
                TrafficJobResult r = run(jobs, lab, "r" + round);
                double seconds = (System.nanoTime() - start) / 1e9;
                summary = TrafficSummary.pingResults(r.getResults());
                ours.add(seconds);
                System.out.printf(Locale.ROOT, "nfvlab  pingall round %d: %.3f s  %s%s%n", round, seconds, summary,
                        r.getMessage() == null ? "" : "  (" + r.getMessage() + ")");
                r.getResults().stream().filter(p -> p.getReceived() == null || p.getReceived() == 0).limit(3)
                        .forEach(p -> System.out.println("  lost: " + p));
            }
        } finally {
            lab.close();
        }
        if (!lab.leftovers().isEmpty()) {
            System.out.println("LEFT BEHIND: " + lab.leftovers());
        }
        System.out.println("net.ipv4.neigh.default.gc_thresh3 = " + neighbourLimit() + " (for Mininet's run)");

        Path script = Path.of("bench/traffic/mininet_pingall.py").toAbsolutePath();
        CommandRunner.Result mn = CommandRunner.run(List.of("/usr/bin/python3", script.toString()), Duration.ofMinutes(5));
        String line = mn.stdout().lines().filter(l -> l.startsWith("mininet pingall")).findFirst().orElse(null);
        double best = ours.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double median = ours.stream().sorted().toList().get(ours.size() / 2);
        System.out.printf(Locale.ROOT, "nfvlab  pingall tree,depth=2,fanout=8 (%d pings): best %.3f s, median %.3f s, %s%n",
                hosts * (hosts - 1), best, median, summary);
        if (line == null) {
            System.out.println("mininet pingall did not run: " + mn.describe());
            return;
        }
        double mnSeconds = Double.parseDouble(line.replaceAll(".*seconds=([0-9.]+).*", "$1"));
        String mnResults = (mn.stdout() + "\n" + mn.stderr()).lines().filter(l -> l.contains("Results:")).findFirst().orElse("").strip();
        System.out.printf(Locale.ROOT, "mininet pingall tree,depth=2,fanout=8 (%d pings): %.3f s, %s%n", hosts * (hosts - 1), mnSeconds, mnResults);
        // round 1 starts with empty ARP caches, as Mininet's pingAll does; later rounds find them filled
        System.out.printf(Locale.ROOT, "ratio mininet / nfvlab: %.1fx against round 1 (cold ARP caches), %.1fx against the median%n",
                mnSeconds / ours.get(0), mnSeconds / median);
    }

    private static String neighbourLimit() {
        return CommandRunner.run(List.of("sysctl", "-n", "net.ipv4.neigh.default.gc_thresh3"), Duration.ofSeconds(5)).stdout().strip();
    }

    private static TrafficJobResult run(ProcessTrafficJobs jobs, TreeLab lab, String runKey) throws InterruptedException {
        List<JobPair> pairs = lab.allPairs();
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("bench." + lab.prefix).build());
        state.setSpec(NetworkNodeStateSpec.builder().nodeName("local")
                .owner(OwnerRef.builder().kind("TrafficTest").namespace("bench").name("pingall-tree").build())
                .trafficJob(TrafficJob.builder().id("bench/pingall").runKey(runKey).role(TrafficJob.Role.CLIENT)
                        .type(TrafficType.PINGALL).pairs(pairs).build())
                .build());
        while (true) {
            TrafficJobResult r = jobs.sync(state).get(0);
            if (r.getPhase() != JobPhase.RUNNING) {
                return r;
            }
            Thread.sleep(5);
        }
    }
}
