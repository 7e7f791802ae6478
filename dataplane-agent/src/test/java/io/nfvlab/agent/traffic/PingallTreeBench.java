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
 * The nfvlab topology is built with ip inside namespaces named bpt*-… (hosts h1…h64 at 10.0.0.N/8, bridges s1…s9
 * in one switch namespace) and deleted afterwards.
 */
public final class PingallTreeBench {
    private static final int FANOUT = 8;
    private static final String PREFIX = "bpt" + Long.toHexString(System.nanoTime() & 0xfff);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int hosts = FANOUT * FANOUT;
        // the kernel's ARP table is shared by all namespaces: a full pingall needs hosts*(hosts-1) entries at once,
        // more than the default gc_thresh3 (1024); past it, resolutions fail and pings are lost (here and in Mininet)
        String thresh = CommandRunner.run(List.of("sysctl", "-n", "net.ipv4.neigh.default.gc_thresh3"), Duration.ofSeconds(5)).stdout().strip();
        System.out.println("net.ipv4.neigh.default.gc_thresh3 = " + thresh + (thresh.matches("\\d+") && Integer.parseInt(thresh) < hosts * (hosts - 1)
                ? "  (below " + hosts * (hosts - 1) + ": expect drops from ARP table overflow)" : ""));
        List<Double> ours = new ArrayList<>();
        String summary = "";
        try {
            build(hosts);
            try (ProcessTrafficJobs jobs = new ProcessTrafficJobs(new SimpleMeterRegistry())) {
                for (int round = 1; round <= rounds; round++) {
                    long start = System.nanoTime();
                    TrafficJobResult r = run(jobs, hosts, "r" + round);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    summary = TrafficSummary.pingResults(r.getResults());
                    ours.add(seconds);
                    System.out.printf(Locale.ROOT, "nfvlab  pingall round %d: %.3f s  %s%n", round, seconds, summary);
                    r.getResults().stream().filter(p -> p.getReceived() == null || p.getReceived() == 0).limit(3)
                            .forEach(p -> System.out.println("  lost: " + p));
                }
            }
        } finally {
            teardown(hosts);
        }
        List<String> left = CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith(PREFIX)).toList();
        if (!left.isEmpty()) {
            System.out.println("LEFT BEHIND: " + left);
        }

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

    private static TrafficJobResult run(ProcessTrafficJobs jobs, int hosts, String runKey) throws InterruptedException {
        List<JobPair> pairs = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            for (int j = 1; j <= hosts; j++) {
                if (i != j) {
                    pairs.add(JobPair.builder().source("h" + i).sourceNetns(host(i)).destination("h" + j)
                            .destinationAddress(address(j)).destinationNetns(host(j)).build());
                }
            }
        }
        NetworkNodeState state = new NetworkNodeState();
        state.setMetadata(new ObjectMetaBuilder().withName("bench." + PREFIX).build());
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

    private static String host(int i) {
        return PREFIX + "-h" + i;
    }

    private static String address(int i) {
        return "10.0.0." + i;
    }

    private static String sw() {
        return PREFIX + "-sw";
    }

    /** Mininet's TreeTopo(2, 8): s1 the root, s2…s9 under it, hosts h1…h64 eight per leaf switch. */
    private static void build(int hosts) {
        ip(List.of("netns", "add", sw()));
        StringBuilder batch = new StringBuilder("link set lo up\n");
        for (int s = 1; s <= FANOUT + 1; s++) {
            batch.append("link add s").append(s).append(" type bridge\nlink set s").append(s).append(" up\n");
        }
        for (int leaf = 2; leaf <= FANOUT + 1; leaf++) {
            // root port s1-eth(leaf-1) <-> leaf's uplink s<leaf>-eth(FANOUT+1)
            String up = "s1-eth" + (leaf - 1);
            String down = "s" + leaf + "-eth" + (FANOUT + 1);
            batch.append("link add ").append(up).append(" type veth peer name ").append(down).append('\n')
                    .append("link set ").append(up).append(" master s1 up\n")
                    .append("link set ").append(down).append(" master s").append(leaf).append(" up\n");
        }
        for (int h = 1; h <= hosts; h++) {
            ip(List.of("netns", "add", host(h)));
            int leaf = 2 + (h - 1) / FANOUT;
            String port = "s" + leaf + "-eth" + (1 + (h - 1) % FANOUT);
            batch.append("link add ").append(port).append(" type veth peer name h").append(h).append("-eth0 netns ").append(host(h)).append('\n')
                    .append("link set ").append(port).append(" master s").append(leaf).append(" up\n");
        }
        CommandRunner.run(List.of("ip", "-n", sw(), "-batch", "-"), batch.toString(), Duration.ofSeconds(60)).orThrow();
        for (int h = 1; h <= hosts; h++) {
            String in = "link set lo up\naddr add " + address(h) + "/8 dev h" + h + "-eth0\nlink set h" + h + "-eth0 up\n";
            CommandRunner.run(List.of("ip", "-n", host(h), "-batch", "-"), in, Duration.ofSeconds(10)).orThrow();
        }
    }

    private static void teardown(int hosts) {
        for (int h = 1; h <= hosts; h++) {
            CommandRunner.run(List.of("ip", "netns", "del", host(h)), Duration.ofSeconds(10));
        }
        CommandRunner.run(List.of("ip", "netns", "del", sw()), Duration.ofSeconds(10));
    }

    private static void ip(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(args);
        CommandRunner.run(argv, Duration.ofSeconds(10)).orThrow();
    }
}
