package io.nfvlab.operator;

import io.nfvlab.agent.exec.CommandRunner;

import java.time.Duration;
import java.util.List;

/**
 * Two "nodes" on one machine for kernel tests: two network namespaces joined by a veth underlay whose /30 addresses
 * exist only inside those namespaces (traffic between them never leaves the machine).
 */
public final class TwoNodeUnderlay {
    private TwoNodeUnderlay() {
    }

    /** Creates namespaces {@code nodeA}, {@code nodeB} and the veth {@code <tag>ua}–{@code <tag>ub} between them. */
    public static void create(String tag, String nodeA, String nodeB, String underlayA, String underlayB) {
        run("ip", "netns", "add", nodeA);
        run("ip", "netns", "add", nodeB);
        run("ip", "link", "add", tag + "ua", "netns", nodeA, "type", "veth", "peer", "name", tag + "ub", "netns", nodeB);
        run("ip", "-n", nodeA, "addr", "add", underlayA + "/30", "dev", tag + "ua");
        run("ip", "-n", nodeB, "addr", "add", underlayB + "/30", "dev", tag + "ub");
        for (String[] up : new String[][]{{nodeA, tag + "ua"}, {nodeB, tag + "ub"}, {nodeA, "lo"}, {nodeB, "lo"}}) {
            run("ip", "-n", up[0], "link", "set", up[1], "up");
        }
    }

    /** Deletes both node namespaces (and with them the underlay and whatever the agents left in them). */
    public static void delete(String nodeA, String nodeB) {
        CommandRunner.run(List.of("ip", "netns", "del", nodeA), Duration.ofSeconds(10));
        CommandRunner.run(List.of("ip", "netns", "del", nodeB), Duration.ofSeconds(10));
    }

    private static void run(String... argv) {
        CommandRunner.run(List.of(argv), Duration.ofSeconds(15)).orThrow();
    }
}
