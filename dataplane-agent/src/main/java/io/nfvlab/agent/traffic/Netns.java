package io.nfvlab.agent.traffic;

import java.util.ArrayList;
import java.util.List;

/** Argument vectors that run a program inside a network namespace: {@code ip netns exec NS program args…}. */
final class Netns {
    private Netns() {
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
