package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.process.CommandRunner;
import io.nfvlab.agent.process.Netns;

import java.time.Duration;
import java.util.List;

/**
 * Runs {@code ip -n NS …} / {@code tc -n NS …} as {@code nsenter --net=/run/netns/NS ip …} ({@link Netns}: why not
 * iproute2's own {@code -n}, whose cost grows with the number of hosts, nor a thread that entered the namespace).
 */
final class InNetns {
    private InNetns() {
    }

    static CommandRunner.Result run(List<String> argv, String stdin, Duration timeout) {
        if (argv.size() < 3 || !"-n".equals(argv.get(1))) {
            return CommandRunner.run(argv, stdin, timeout);
        }
        return CommandRunner.run(Netns.exec(argv.get(2), argv.get(0), argv.subList(3, argv.size())), stdin, timeout);
    }

    static CommandRunner.Result run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }
}
