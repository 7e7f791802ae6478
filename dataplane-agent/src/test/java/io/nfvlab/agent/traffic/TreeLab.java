package io.nfvlab.agent.traffic;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.TrafficJob.JobPair;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Mininet's TreeTopo(depth=2, fanout) built by hand for the traffic tests and the pingall benchmark, entirely inside
 * namespaces this lab creates: one namespace per host ({@code <prefix>-hN}, interface hN-eth0, address 10.0.0.N/8)
 * and one "switch" namespace holding the Linux bridges s1 (the root) and s2…s(fanout+1) (the leaves, hosts h1…
 * fanout per leaf), so that nothing appears in the root namespace. {@link #close()} deletes the namespaces, which
 * deletes their veths and bridges with them.
 */
final class TreeLab extends NamespaceLab {
    final int fanout;

    TreeLab(String testPrefix, int fanout) {
        super(testPrefix, fanout * fanout);
        this.fanout = fanout;
        start();
    }

    /** The leaf switch host i hangs off (2…fanout+1). */
    int leafOf(int host) {
        return 2 + (host - 1) / fanout;
    }

    /** Every ordered pair of distinct hosts, as a pingall asks for: hosts × (hosts − 1). */
    List<JobPair> allPairs() {
        List<JobPair> pairs = new ArrayList<>(hosts * (hosts - 1));
        for (int i = 1; i <= hosts; i++) {
            for (int j = 1; j <= hosts; j++) {
                if (i != j) {
                    pairs.add(pair(i, j));
                }
            }
        }
        return pairs;
    }

    @Override
    void build() {
        run(List.of("ip", "netns", "add", switchNetns()));
        StringBuilder batch = new StringBuilder("link set lo up\n");
        for (int s = 1; s <= fanout + 1; s++) {
            batch.append("link add s").append(s).append(" type bridge\nlink set s").append(s).append(" up\n");
        }
        for (int leaf = 2; leaf <= fanout + 1; leaf++) {
            // root port s1-eth(leaf-1) <-> the leaf's uplink s<leaf>-eth(fanout+1), as Mininet numbers them
            String up = uplinkAtRoot(leaf);
            String down = uplinkAtLeaf(leaf);
            batch.append("link add ").append(up).append(" type veth peer name ").append(down).append('\n')
                    .append("link set ").append(up).append(" master s1 up\n")
                    .append("link set ").append(down).append(" master s").append(leaf).append(" up\n");
        }
        for (int h = 1; h <= hosts; h++) {
            run(List.of("ip", "netns", "add", hostNetns(h)));
            String port = "s" + leafOf(h) + "-eth" + (1 + (h - 1) % fanout);
            batch.append("link add ").append(port).append(" type veth peer name h").append(h).append("-eth0 netns ").append(hostNetns(h)).append('\n')
                    .append("link set ").append(port).append(" master s").append(leafOf(h)).append(" up\n");
        }
        CommandRunner.run(List.of("ip", "-n", switchNetns(), "-batch", "-"), batch.toString(), Duration.ofSeconds(60)).orThrow();
        for (int h = 1; h <= hosts; h++) {
            String in = "link set lo up\naddr add " + address(h) + "/8 dev h" + h + "-eth0\nlink set h" + h + "-eth0 up\n";
            CommandRunner.run(List.of("ip", "-n", hostNetns(h), "-batch", "-"), in, Duration.ofSeconds(10)).orThrow();
        }
    }

    private static String uplinkAtRoot(int leaf) {
        return "s1-eth" + (leaf - 1);
    }

    private String uplinkAtLeaf(int leaf) {
        return "s" + leaf + "-eth" + (fanout + 1);
    }

    /** Sets the veth between the root s1 and leaf switch s(leaf) down (both ends), as {@code link s1 s<leaf> down}. */
    void uplinkDown(int leaf) {
        run(List.of("ip", "-n", switchNetns(), "link", "set", uplinkAtRoot(leaf), "down"));
        run(List.of("ip", "-n", switchNetns(), "link", "set", uplinkAtLeaf(leaf), "down"));
    }

    /**
     * Drops that share of the IP packets host h receives, at random ({@code iptables -A INPUT -m statistic --mode
     * random --probability P -j DROP} in its namespace; this kernel has neither netem nor tc's gact): as far as echoes
     * are concerned, a lossy link towards h. ARP is not IP and passes.
     */
    void dropAtHost(int host, double probability) {
        run(List.of("ip", "netns", "exec", hostNetns(host), "iptables", "-A", "INPUT", "-m", "statistic", "--mode", "random",
                "--probability", Double.toString(probability), "-j", "DROP"));
    }

    /** Empties every host's neighbour (ARP) cache, as a freshly built topology has it (8 namespaces at a time). */
    void flushNeighbours() {
        ForkJoinPool pool = new ForkJoinPool(8);
        try {
            pool.submit(() -> IntStream.rangeClosed(1, hosts).parallel()
                    .forEach(h -> run(List.of("ip", "-n", hostNetns(h), "neigh", "flush", "all")))).join();
        } finally {
            pool.shutdown();
        }
    }

    private static void run(List<String> argv) {
        CommandRunner.run(argv, Duration.ofSeconds(10)).orThrow();
    }
}
