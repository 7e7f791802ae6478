package io.nfvlab.agent.traffic;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.api.node.TrafficJob.JobPair;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Mininet topology built by hand for the traffic tests, entirely inside namespaces the lab creates: one per host
 * ({@code <prefix>-hN}, interface hN-eth0, address 10.0.0.N/8) and one "switch" namespace holding the Linux bridges,
 * so that nothing appears in the root namespace. A subclass builds its switches and links in {@link #build()};
 * {@link #close()} deletes the namespaces, which deletes their veths and bridges with them.
 */
abstract class NamespaceLab implements AutoCloseable {
    final String prefix;
    final int hosts;

    NamespaceLab(String testPrefix, int hosts) {
        if (hosts > 254) {
            throw new IllegalArgumentException("addresses are 10.0.0.N: at most 254 hosts, not " + hosts);
        }
        // the random part keeps reruns (and a crashed earlier run) from colliding
        this.prefix = testPrefix + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256));
        this.hosts = hosts;
    }

    /** Builds the lab; what a failed build made is removed before the failure goes on. Call last in the constructor. */
    final void start() {
        try {
            build();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    abstract void build();

    String hostNetns(int i) {
        return prefix + "-h" + i;
    }

    String switchNetns() {
        return prefix + "-sw";
    }

    static String address(int i) {
        return "10.0.0." + i;
    }

    JobPair pair(int from, int to) {
        return JobPair.builder().source("h" + from).sourceNetns(hostNetns(from)).destination("h" + to)
                .destinationAddress(address(to)).destinationNetns(hostNetns(to)).build();
    }

    /** Names left over from this lab in the namespace list and the root namespace's links. */
    List<String> leftovers() {
        List<String> found = new ArrayList<>();
        CommandRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.startsWith(prefix)).forEach(found::add);
        CommandRunner.run(List.of("ip", "-o", "link"), Duration.ofSeconds(10)).stdout().lines()
                .filter(l -> l.contains(prefix)).forEach(found::add);
        return found;
    }

    @Override
    public void close() {
        for (int h = 1; h <= hosts; h++) {
            CommandRunner.run(List.of("ip", "netns", "del", hostNetns(h)), Duration.ofSeconds(10));
        }
        CommandRunner.run(List.of("ip", "netns", "del", switchNetns()), Duration.ofSeconds(10));
    }
}
