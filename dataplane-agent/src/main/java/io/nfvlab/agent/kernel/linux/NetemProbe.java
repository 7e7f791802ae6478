package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.shaping.ShapingMechanisms;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.List;

/**
 * Finds out whether the kernel has {@code sch_netem} by using it: a scratch namespace of the agent's own gets a netem
 * qdisc, which is removed with the namespace. Shell equivalent: {@code ip netns add nfv-probe-netem-PID; ip -n …
 * link add nfvprobe0 type dummy; tc -n … qdisc add dev nfvprobe0 root netem delay 1ms; ip netns del …}.
 * {@code /proc/modules} does not say (it is absent where modules are built in or disabled), and adding the qdisc also
 * loads the module where it is loadable. Without the dummy module the namespace's own loopback carries the probe.
 */
final class NetemProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static volatile ShapingMechanisms found;

    private NetemProbe() {
    }

    /** This kernel's mechanisms, probed on the first call (one probe per agent process). */
    static ShapingMechanisms mechanisms() {
        ShapingMechanisms m = found;
        if (m == null) {
            synchronized (NetemProbe.class) {
                if (found == null) {
                    found = probe();
                }
                m = found;
            }
        }
        return m;
    }

    /** Name of the scratch namespace: never a topology's ({@code nfv-TOKEN-host} needs a '-' after eight characters). */
    static String scratchNetns() {
        return "nfv-probe-netem-" + ProcessHandle.current().pid();
    }

    static ShapingMechanisms probe() {
        String ns = scratchNetns();
        if (!run(List.of("ip", "netns", "add", ns))) {
            return ShapingMechanisms.WITHOUT_NETEM;
        }
        try {
            String dev = run(List.of("ip", "-n", ns, "link", "add", "nfvprobe0", "type", "dummy")) ? "nfvprobe0" : "lo";
            boolean netem = run(List.of("tc", "-n", ns, "qdisc", "add", "dev", dev, "root", "netem", "delay", "1ms"));
            if (netem) {
                run(List.of("tc", "-n", ns, "qdisc", "del", "dev", dev, "root"));
            }
            return netem ? ShapingMechanisms.WITH_NETEM : ShapingMechanisms.WITHOUT_NETEM;
        } finally {
            run(List.of("ip", "netns", "del", ns));
        }
    }

    private static boolean run(List<String> argv) {
        try {
            return CommandRunner.run(argv, TIMEOUT).ok();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
