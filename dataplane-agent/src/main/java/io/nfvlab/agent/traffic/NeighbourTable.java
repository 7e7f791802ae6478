package io.nfvlab.agent.traffic;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel's IPv4 neighbour (ARP) table. The machine has one, shared by every network namespace: its hard limit
 * {@code net.ipv4.neigh.default.gc_thresh3} (1024 by default) counts the entries of every host of every topology,
 * and an entry resolved less than 5 s ago cannot be evicted to make room. A pingall among N hosts creates N·(N−1)
 * entries within its second or two (4032 for 64 hosts); past the limit the kernel refuses to resolve (its
 * {@code table_fulls} counter, "neighbor table overflow") and drops the echo: a loss the emulated network did not
 * cause. Measured here with the default limit: tree,depth=2,fanout=8 pingall received 1022 of 4032, every run.
 *
 * <p>Shell equivalent: {@code sysctl net.ipv4.neigh.default.gc_thresh3}, {@code sysctl -w …=N},
 * {@code cat /proc/net/stat/arp_cache} (or {@code ip -s ntable show name arp_cache}).
 */
final class NeighbourTable {
    static final String LIMIT_SYSCTL = "net.ipv4.neigh.default.gc_thresh3";

    /** Entries now in the table, and how often since boot the kernel found it full. */
    record Stats(long entries, long tableFulls) {
    }

    private final KernelSetting limit;
    private final Path statsFile;
    private final List<KernelSetting> evictionThresholds;

    NeighbourTable(Path limitFile, Path statsFile) {
        this(limitFile, statsFile, List.of());
    }

    /**
     * @param evictionThresholds {@code gc_thresh1} and {@code gc_thresh2}: above the first, the periodic collection
     *        removes entries unused for 60 s; above the second, each new entry (at most every 5 s) evicts every entry
     *        not updated for 5 s. A pingall whose resolution round outlasts that (minutes on the 10,000-host tree,
     *        19,800 entries against a gc_thresh2 of 8192) lost the resolved entries before its counted echoes, which
     *        then waited for first-contact ARP again.
     */
    NeighbourTable(Path limitFile, Path statsFile, List<Path> evictionThresholds) {
        this.limit = new KernelSetting(LIMIT_SYSCTL, limitFile);
        this.statsFile = statsFile;
        this.evictionThresholds = evictionThresholds.stream().map(p -> new KernelSetting(p.getFileName().toString(), p)).toList();
    }

    static NeighbourTable linux() {
        Path dir = Path.of("/proc/sys/net/ipv4/neigh/default");
        return new NeighbourTable(dir.resolve("gc_thresh3"), Path.of("/proc/net/stat/arp_cache"),
                List.of(dir.resolve("gc_thresh1"), dir.resolve("gc_thresh2")));
    }

    /** The table's counters, or empty where the kernel does not show them. */
    Optional<Stats> stats() {
        return KernelSetting.parsed(statsFile, NeighbourTable::parse);
    }

    /**
     * {@code /proc/net/stat/arp_cache}: a header naming the columns, then one row per CPU in hex. {@code entries}
     * is the table's (the same in every row); {@code table_fulls} is counted per CPU and summed here.
     */
    static Stats parse(String text) {
        List<String> lines = text.strip().lines().toList();
        List<String> header = List.of(lines.get(0).trim().split("\\s+"));
        int entries = header.indexOf("entries");
        int fulls = header.indexOf("table_fulls");
        if (entries < 0 || fulls < 0 || lines.size() < 2) {
            throw new IllegalArgumentException("not a neighbour table statistics file: " + lines.get(0));
        }
        long tableFulls = 0;
        for (String row : lines.subList(1, lines.size())) {
            tableFulls += Long.parseLong(row.trim().split("\\s+")[fulls], 16);
        }
        return new Stats(Long.parseLong(lines.get(1).trim().split("\\s+")[entries], 16), tableFulls);
    }

    /**
     * The hard limit that lets {@code newEntries} more entries in beside {@code entries}: the present one when it
     * already does (never lowered), otherwise the next power of two above what is needed. The kernel refuses a new
     * entry once {@code entries >= limit}.
     */
    static long limitFor(long entries, long newEntries, long limit) {
        long needed = entries + newEntries;
        return needed < limit ? limit : Long.highestOneBit(needed) << 1;
    }

    /**
     * Raises the hard limit so that {@code newEntries} more entries fit beside those present (never lowers it: other
     * topologies on this machine share the table). Returns a line for the test's result when the limit had to be
     * raised or could not be, empty when there was room.
     */
    synchronized Optional<String> makeRoomFor(long newEntries) {
        OptionalLong now = limit.value();
        if (now.isEmpty()) {
            return Optional.empty();
        }
        long entries = stats().map(Stats::entries).orElse(0L);
        raiseEvictionThresholds(entries, newEntries);
        return limit.raise(now.getAsLong(), limitFor(entries, newEntries, now.getAsLong()),
                "the machine's neighbour table holds " + entries + " entries; this test needs up to " + newEntries + " more",
                "once the machine's neighbour table is full, echoes are dropped by this node, not by the emulated network");
    }

    /** Raises each eviction threshold as the limit is raised, never lowering one; one that cannot be written stays. */
    private void raiseEvictionThresholds(long entries, long newEntries) {
        // one that stays low may evict entries early: their echoes wait for ARP again, within the counted second
        for (KernelSetting threshold : evictionThresholds) {
            threshold.value().ifPresent(now -> threshold.raise(now, limitFor(entries, newEntries, now), "", ""));
        }
    }
}
