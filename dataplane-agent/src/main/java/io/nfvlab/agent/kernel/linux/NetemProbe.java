package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.shaping.ShapingMechanisms;
import io.nfvlab.agent.process.CommandRunner;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

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

    /**
     * This kernel's mechanisms: probed on the first call of the first agent process of this boot, then read from
     * {@link NetemProbeRecord}.
     */
    static ShapingMechanisms mechanisms() {
        ShapingMechanisms m = found;
        if (m == null) {
            synchronized (NetemProbe.class) {
                if (found == null) {
                    found = probedOnceThisBoot(NetemProbeRecord.ofThisNode(), NetemProbeRecord.bootId());
                }
                m = found;
            }
        }
        return m;
    }

    static ShapingMechanisms probedOnceThisBoot(NetemProbeRecord record, String bootId) {
        return probedOnceThisBoot(record, bootId, NetemProbe::probeInNamespace);
    }

    /** The record's answer for {@code bootId}, else {@code probe}'s, kept when it is one (not null). */
    static ShapingMechanisms probedOnceThisBoot(NetemProbeRecord record, String bootId, Supplier<ShapingMechanisms> probe) {
        return record.read(bootId).orElseGet(() -> {
            ShapingMechanisms probed = probe.get();
            if (probed == null) {
                return ShapingMechanisms.WITHOUT_NETEM;   // the probe could not tell: nothing learnt to keep
            }
            record.write(bootId, probed);
            return probed;
        });
    }

    /** Name of the scratch namespace: never a topology's ({@code nfv-TOKEN-host} needs a '-' after eight characters). */
    static String scratchNetns() {
        return "nfv-probe-netem-" + ProcessHandle.current().pid();
    }

    static ShapingMechanisms probe() {
        ShapingMechanisms probed = probeInNamespace();
        return probed == null ? ShapingMechanisms.WITHOUT_NETEM : probed;
    }

    /** What the probe found, or null when it could not tell (no scratch namespace, or tc did not finish). */
    private static ShapingMechanisms probeInNamespace() {
        String ns = scratchNetns();
        if (!run(List.of("ip", "netns", "add", ns))) {
            return null;
        }
        try {
            String dev = run(List.of("ip", "-n", ns, "link", "add", "nfvprobe0", "type", "dummy")) ? "nfvprobe0" : "lo";
            Boolean netem = exitedZero(List.of("tc", "-n", ns, "qdisc", "add", "dev", dev, "root", "netem", "delay", "1ms"));
            if (netem == null) {
                return null;
            }
            if (netem) {
                run(List.of("tc", "-n", ns, "qdisc", "del", "dev", dev, "root"));
            }
            return netem ? ShapingMechanisms.WITH_NETEM : ShapingMechanisms.WITHOUT_NETEM;
        } finally {
            run(List.of("ip", "netns", "del", ns));
        }
    }

    private static boolean run(List<String> argv) {
        return Boolean.TRUE.equals(exitedZero(argv));
    }

    /** Whether {@code argv} exited 0, or null when it did not finish in time or could not start (127). */
    private static Boolean exitedZero(List<String> argv) {
        try {
            CommandRunner.Result r = CommandRunner.run(argv, TIMEOUT);
            return r.timedOut() || r.exitCode() == 127 ? null : r.exitCode() == 0;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
