package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ip -n NS …} / {@code tc -n NS …} as {@code nsenter --net=/run/netns/NS ip …}: only the network namespace
 * changes. iproute2's own {@code -n} also unshares the mount namespace and remounts /sys, which copies every mount of
 * the node — one per named namespace — and so grows with the number of hosts (tens of milliseconds each at a
 * thousand).
 * <p>
 * Not by entering the namespace on the calling thread and starting the program from there (as this class once did):
 * a thread inherits the network namespace of the thread that creates it, and starting a process creates JVM threads
 * on demand (the output drains, the process reaper) that are pooled and reused — those kept deleted namespaces alive
 * for as long as the agent ran commands (NamespaceHoldersIT).
 */
final class InNetns {
    private InNetns() {
    }

    static CommandRunner.Result run(List<String> argv, String stdin, Duration timeout) {
        if (argv.size() < 3 || !"-n".equals(argv.get(1))) {
            return CommandRunner.run(argv, stdin, timeout);
        }
        String netns = argv.get(2);
        List<String> entered = new ArrayList<>(argv.size() + 1);
        entered.add("nsenter");
        entered.add("--net=/run/netns/" + netns);
        entered.add("--");
        entered.add(argv.get(0));
        entered.addAll(argv.subList(3, argv.size()));
        return CommandRunner.run(entered, stdin, timeout);
    }

    static CommandRunner.Result run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }
}
