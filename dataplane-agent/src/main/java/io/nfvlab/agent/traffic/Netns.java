package io.nfvlab.agent.traffic;

import io.nfvlab.agent.kernel.linux.NetnsCommand;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Running a program inside a host's network namespace: to completion with {@link #run} (the namespace entered by the
 * calling thread, no mount namespace: see {@link NetnsCommand}), or as the argument vector
 * {@code ip netns exec NS program args…} for a long-running server.
 */
final class Netns {
    private Netns() {
    }

    static CommandRunner.Result run(String netns, String program, List<String> args, Duration timeout) {
        List<String> argv = new ArrayList<>(args.size() + 1);
        argv.add(program);
        argv.addAll(args);
        return NetnsCommand.run(netns, argv, timeout);
    }

    static List<String> exec(String netns, String program, List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 5);
        argv.add("ip");
        argv.add("netns");
        argv.add("exec");
        argv.add(netns);
        argv.add(program);
        argv.addAll(args);
        return argv;
    }
}
