package io.nfvlab.agent.traffic;

import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mininet's linear,k built by hand for the traffic tests, entirely inside namespaces this lab creates: one namespace
 * per host ({@code <prefix>-hN}, interface hN-eth0, address 10.0.0.N/8) and one "switch" namespace holding Linux
 * bridges s1…sk, so that nothing appears in the root namespace. {@link #close()} deletes the namespaces.
 */
final class LinearLab extends NamespaceLab {
    final int k;

    LinearLab(String testPrefix, int k) {
        super(testPrefix, k);
        this.k = k;
        start();
    }

    @Override
    void build() {
        ip("netns", "add", switchNetns());
        ipIn(switchNetns(), "link", "set", "lo", "up");
        for (int i = 1; i <= k; i++) {
            String ns = hostNetns(i);
            ip("netns", "add", ns);
            ipIn(ns, "link", "set", "lo", "up");
            ipIn(switchNetns(), "link", "add", "s" + i, "type", "bridge");
            ipIn(switchNetns(), "link", "set", "s" + i, "up");
            ipIn(switchNetns(), "link", "add", "s" + i + "-eth1", "type", "veth", "peer", "name", "h" + i + "-eth0", "netns", ns);
            ipIn(switchNetns(), "link", "set", "s" + i + "-eth1", "master", "s" + i, "up");
            ipIn(ns, "addr", "add", address(i) + "/8", "dev", "h" + i + "-eth0");
            ipIn(ns, "link", "set", "h" + i + "-eth0", "up");
        }
        for (int i = 2; i <= k; i++) {
            // s(i)-eth2 <-> s(i-1)-eth3, as Mininet's linear numbers them
            ipIn(switchNetns(), "link", "add", "s" + i + "-eth2", "type", "veth", "peer", "name", "s" + (i - 1) + "-eth3");
            ipIn(switchNetns(), "link", "set", "s" + i + "-eth2", "master", "s" + i, "up");
            ipIn(switchNetns(), "link", "set", "s" + (i - 1) + "-eth3", "master", "s" + (i - 1), "up");
        }
    }

    /** Sets the veth between s(i) and s(i+1) down (both ends), as {@code link s2 s3 down}. */
    void switchLinkDown(int i) {
        ipIn(switchNetns(), "link", "set", "s" + (i + 1) + "-eth2", "down");
        ipIn(switchNetns(), "link", "set", "s" + i + "-eth3", "down");
    }

    /** Shapes what the switch sends to host i to {@code mbit} Mbit/s with a token bucket (in the switch, so a sender
     * on the host is not throttled by its own socket and excess shows up as loss). */
    void shapeTowardsHost(int i, int mbit) {
        CommandRunner.run(List.of("ip", "netns", "exec", switchNetns(), "tc", "qdisc", "replace", "dev", "s" + i + "-eth1", "root",
                "tbf", "rate", mbit + "mbit", "burst", "64kb", "latency", "50ms"), Duration.ofSeconds(10)).orThrow();
    }

    void unshape(int i) {
        CommandRunner.run(List.of("ip", "netns", "exec", switchNetns(), "tc", "qdisc", "del", "dev", "s" + i + "-eth1", "root"), Duration.ofSeconds(10));
    }

    /** Pids of processes still running in host i's namespace (an iperf3 server left behind shows here). */
    String pidsIn(int i) {
        return CommandRunner.run(List.of("ip", "netns", "pids", hostNetns(i)), Duration.ofSeconds(10)).stdout().strip();
    }

    private static void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        CommandRunner.run(argv, Duration.ofSeconds(10)).orThrow();
    }

    private static void ipIn(String ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", ns));
        argv.addAll(List.of(args));
        CommandRunner.run(argv, Duration.ofSeconds(10)).orThrow();
    }
}
