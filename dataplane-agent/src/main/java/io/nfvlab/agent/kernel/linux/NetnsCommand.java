package io.nfvlab.agent.kernel.linux;

import com.sun.jna.LastErrorException;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a program inside a named network namespace as {@code nsenter --net=/run/netns/NS PROGRAM ARGS…} does: the
 * calling thread enters the namespace and starts the program there (a child starts in its parent thread's network
 * namespace), then returns. Not {@code ip netns exec}: that also unshares the mount namespace and remounts /sys, which
 * copies every mount of the node, one per named namespace, under a lock all of them share: at 10,000 hosts a hundred
 * pingall sources started that way queued long enough for their fping runs to time out.
 */
public final class NetnsCommand {
    private NetnsCommand() {
    }

    /** The result describes the run as its shell equivalent, {@code nsenter --net=/run/netns/NS PROGRAM ARGS…}. */
    public static CommandRunner.Result run(String netns, List<String> argv, Duration timeout) {
        List<String> shown = new ArrayList<>(argv.size() + 2);
        shown.add("nsenter");
        shown.add("--net=/run/netns/" + netns);
        shown.addAll(argv);
        CommandRunner.Result r;
        try (ThreadNetns in = ThreadNetns.enter(netns)) {
            r = CommandRunner.run(argv, timeout);
        } catch (LastErrorException e) {
            return new CommandRunner.Result(shown, 1, "", "Cannot open network namespace \"" + netns + "\": errno " + e.getErrorCode(), false);
        }
        return new CommandRunner.Result(shown, r.exitCode(), r.stdout(), r.stderr(), r.timedOut());
    }
}
