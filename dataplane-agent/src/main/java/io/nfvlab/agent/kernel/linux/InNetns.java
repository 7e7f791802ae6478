package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ip -n NS …} / {@code tc -n NS …} by entering the namespace on the calling thread and starting the
 * program there without {@code -n}: a child starts in its parent thread's network namespace. iproute2's own
 * {@code -n} also unshares the mount namespace and remounts /sys, which copies every mount of the node — one per
 * named namespace — and so grows with the number of hosts (tens of milliseconds each at a thousand).
 */
final class InNetns {
    private InNetns() {
    }

    static CommandRunner.Result run(List<String> argv, String stdin, Duration timeout) {
        if (argv.size() < 3 || !"-n".equals(argv.get(1))) {
            return CommandRunner.run(argv, stdin, timeout);
        }
        String netns = argv.get(2);
        List<String> plain = new ArrayList<>(argv);
        plain.remove(1);
        plain.remove(1);
        try (ThreadNetns in = ThreadNetns.enter(netns)) {
            return CommandRunner.run(plain, stdin, timeout);
        } catch (LastErrorException e) {
            return new CommandRunner.Result(argv, 1, "", "Cannot open network namespace \"" + netns + "\": errno " + e.getErrorCode(), false);
        }
    }

    static CommandRunner.Result run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }
}
