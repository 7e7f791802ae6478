package io.nfvlab.agent.ovsdpdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The node's 2 MB hugepages as /proc/meminfo reports them, and what a bridge's settings need of them. */
public record Hugepages(long total, long free, long pageSizeKb) {
    public static final Path MEMINFO = Path.of("/proc/meminfo");

    public static Hugepages read(Path meminfo) {
        long total = 0;
        long free = 0;
        long size = 0;
        try {
            for (String line : Files.readAllLines(meminfo)) {
                String[] parts = line.split("\\s+");
                if (parts.length < 2) {
                    continue;
                }
                switch (parts[0]) {
                    case "HugePages_Total:" -> total = Long.parseLong(parts[1]);
                    case "HugePages_Free:" -> free = Long.parseLong(parts[1]);
                    case "Hugepagesize:" -> size = Long.parseLong(parts[1]);
                    default -> {
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new Hugepages(0, 0, 0);
        }
        return new Hugepages(total, free, size);
    }

    /**
     * What is short, in one line naming the numbers and the fix, or empty when the node has enough.
     *
     * @param required     pages the node must have in all (spec.dpdk.hugepages)
     * @param freeRequired pages that must still be free (ovs-vswitchd's socket memory when DPDK is not yet up)
     */
    public Optional<String> shortfall(long required, long freeRequired) {
        if (pageSizeKb != 2048) {
            return Optional.of("hugepages: the default hugepage size is " + pageSizeKb + " kB; OVS-DPDK here needs 2 MB pages");
        }
        if (total < required) {
            return Optional.of("hugepages: spec.dpdk.hugepages needs " + required + " pages of 2 MB, the node has " + total
                    + " (short by " + (required - total) + "; echo " + required + " > /proc/sys/vm/nr_hugepages)");
        }
        if (free < freeRequired) {
            return Optional.of("hugepages: DPDK's socket memory needs " + freeRequired + " free pages of 2 MB, only " + free
                    + " of " + total + " are free (short by " + (freeRequired - free) + ")");
        }
        return Optional.empty();
    }
}
