package io.nfvlab.agent.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Argument vectors that run a program inside a network namespace: {@code nsenter --net=/run/netns/NS -- program args…}.
 * Only the network namespace changes. Not {@code ip netns exec} nor iproute2's {@code -n}: they also unshare the mount
 * namespace and remount /sys, which copies every mount of the node (one per named namespace) under a lock all of them
 * share — at 10,000 hosts the hundred sources of a sampled pingall queued on it long enough for their fping runs to
 * time out. Not by entering the namespace on a JVM thread either: a thread inherits the network namespace of the
 * thread that creates it, and the pool threads a process start creates (output drains, the reaper) would inherit it
 * and, reused, keep deleted namespaces alive (NamespaceHoldersIT).
 */
public final class Netns {
    private Netns() {
    }

    public static List<String> exec(String netns, String program, List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 4);
        argv.add("nsenter");
        argv.add("--net=/run/netns/" + netns);
        argv.add("--");
        argv.add(program);
        argv.addAll(args);
        return argv;
    }
}
