package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.shaping.ShapingMechanisms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The netem probe's answer, kept in a file for the rest of this boot. The probe makes a namespace and runs four
 * processes at every agent start, and each of them waits for the kernel's rtnl lock: right after a run, the kernel
 * holds that lock for seconds while it unregisters the devices of the namespaces the run deleted, so the next run's
 * agent stood still there (measured: 1.4 s after linear,100). A kernel keeps its modules for a boot, with one
 * exception kept in mind: {@code sch_netem} loaded since an "absent" answer was written, which {@code
 * /sys/module/sch_netem} then shows. The file holds the boot's id (/proc/sys/kernel/random/boot_id) and the answer;
 * anything else in it, or a file that cannot be read, means probing again.
 */
final class NetemProbeRecord {
    private static final String WITH = "netem";
    private static final String WITHOUT = "no-netem";

    private final Path file;
    private final Path moduleDir;

    NetemProbeRecord(Path file, Path moduleDir) {
        this.file = file;
        this.moduleDir = moduleDir;
    }

    /** The record of this node's agents: in nfvlab's own directory under /run, which a reboot empties. */
    static NetemProbeRecord ofThisNode() {
        return new NetemProbeRecord(Path.of("/run/nfvlab/netem-probe"), Path.of("/sys/module", ShapingMechanisms.NETEM_MODULE));
    }

    /** The answer written during boot {@code bootId}, unless the module has appeared since an "absent" answer. */
    Optional<ShapingMechanisms> read(String bootId) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        String[] parts = text.split(" ");
        if (bootId == null || parts.length != 2 || !parts[0].equals(bootId)) {
            return Optional.empty();
        }
        if (parts[1].equals(WITH)) {
            return Optional.of(ShapingMechanisms.WITH_NETEM);
        }
        return parts[1].equals(WITHOUT) && !Files.exists(moduleDir) ? Optional.of(ShapingMechanisms.WITHOUT_NETEM) : Optional.empty();
    }

    /** Keeps {@code found} for boot {@code bootId}; a record that cannot be written only means probing next time. */
    void write(String bootId, ShapingMechanisms found) {
        if (bootId == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid());
            Files.writeString(partial, bootId + " " + (found.netem() ? WITH : WITHOUT) + "\n", StandardCharsets.US_ASCII);
            // a rename, so that another agent starting now reads the old record or this one, never half of it
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // read-only /run (an agent's container without it): the probe runs at each start, as before
        }
    }

    /** This boot's id, or null where the kernel does not say. */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
