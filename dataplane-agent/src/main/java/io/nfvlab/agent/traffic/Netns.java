package io.nfvlab.agent.traffic;

import java.util.ArrayList;
import java.util.List;

/**
 * Argument vectors that run a program inside a network namespace: {@code nsenter --net=/run/netns/NS -- program args…}.
 * Not {@code ip netns exec}: that also unshares the mount namespace and remounts /sys, which copies every mount of the
 * node (one per named namespace) under a lock all of them share — at 10,000 hosts the hundred sources of a sampled
 * pingall queued on it long enough for their fping runs to time out. Not by entering the namespace on a JVM thread
 * either: the pool threads a process start creates would inherit the namespace and keep it alive.
 */
final class Netns {
    private Netns() {
    }

    static List<String> exec(String netns, String program, List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 4);
        argv.add("nsenter");
        argv.add("--net=/run/netns/" + netns);
        argv.add("--");
        argv.add(program);
        argv.addAll(args);
        return argv;
    }
}
