package io.nfvlab.agent.traffic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel's per-CPU receive backlog ({@code net.core.netdev_max_backlog}), which every frame crossing a veth
 * passes through. A Linux bridge floods a broadcast by handing a copy to each port in one go, and the copies wait in
 * the backlog of the CPU that floods; beyond the limit they are dropped. On the 10,000-host tree one broadcast is
 * 10,000 copies: measured here with the limit at 5000, one broadcast reached 5101 of 10,000 hosts — an ARP request
 * for a host in a late leaf never arrived, a loss the emulated network did not cause.
 *
 * <p>Shell equivalent: {@code sysctl net.core.netdev_max_backlog}, {@code sysctl -w …=N}, {@code cat
 * /proc/net/softnet_stat} (per CPU, hex: column 2 the frames dropped since boot, column 12 those queued now).
 */
final class ReceiveBacklog {
    static final String LIMIT_SYSCTL = "net.core.netdev_max_backlog";

    /** Frames dropped since boot and frames queued now, over all CPUs. */
    record Stats(long dropped, long queued) {
    }

    private final KernelSetting limit;
    private final Path statsFile;

    ReceiveBacklog(Path limitFile, Path statsFile) {
        this.limit = new KernelSetting(LIMIT_SYSCTL, limitFile);
        this.statsFile = statsFile;
    }

    static ReceiveBacklog linux() {
        return new ReceiveBacklog(Path.of("/proc/sys/net/core/netdev_max_backlog"), Path.of("/proc/net/softnet_stat"));
    }

    /** The backlog's counters, or empty where the kernel does not show them (before 6.x there is no queue column). */
    Optional<Stats> stats() {
        return KernelSetting.parsed(statsFile, ReceiveBacklog::parse);
    }

    static Stats parse(String text) {
        long dropped = 0;
        long queued = 0;
        List<String> rows = text.strip().lines().toList();
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            dropped += Long.parseLong(f[1], 16);
            queued += f.length >= 12 ? Long.parseLong(f[11], 16) : 0;
        }
        return new Stats(dropped, queued);
    }

    /**
     * Raises the limit so that one flood of {@code frames} copies fits twice over (one flood may still be queued when
     * the next begins); never lowers it (the machine's other topologies share it). Returns a line for the test's
     * result when the limit had to be raised or could not be, empty when it was already large enough.
     */
    synchronized Optional<String> makeRoomFor(long frames) {
        OptionalLong now = limit.value();
        if (now.isEmpty()) {
            return Optional.empty();
        }
        return limit.raise(now.getAsLong(), 2 * frames, "a broadcast on this node is flooded to up to " + frames
                        + " interfaces at once; copies beyond the limit are dropped by this node, not by the emulated network",
                "broadcasts flooded to more than " + now.getAsLong() + " interfaces lose copies on this node");
    }

    /**
     * Waits until fewer than {@code frames} frames are queued on all CPUs together, or {@code max} has passed: a
     * sender that paces its broadcasts on this never has more than one flood in the backlog at once.
     */
    void awaitBelow(long frames, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            Optional<Stats> s = stats();
            if (s.isEmpty() || s.get().queued() < frames) {
                return;
            }
            Thread.sleep(1);
        }
    }
}
