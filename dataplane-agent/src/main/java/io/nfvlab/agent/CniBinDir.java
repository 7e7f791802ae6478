package io.nfvlab.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether the CNI bin directory the agent was given (the chart's {@code cni.binDir}, mounted into the agent) is one the
 * node's container runtime runs plugins from. The chart's hostPath creates a missing directory, so a wrong
 * {@code cni.binDir} (k3s keeps its plugins elsewhere) would leave {@code nfvlab-cni} where no runtime looks: such a
 * directory holds no plugin but nfvlab's.
 */
final class CniBinDir {
    /** What nfvlab itself puts there. */
    private static final Set<String> OURS = Set.of("nfvlab-cni", ".nfvlab-cni.new");

    private CniBinDir() {
    }

    /** Null when {@code dir} holds a CNI plugin besides nfvlab's; otherwise why the node's runtime will not find nfvlab-cni there. */
    static String problem(Path dir, String node) {
        if (!Files.isDirectory(dir)) {
            return "the CNI bin directory " + dir + " does not exist on node " + node + ": pods on it cannot attach through "
                    + "nfvlab-cni (set cni.binDir to the directory of the node's CNI plugins)";
        }
        try (Stream<Path> files = Files.list(dir)) {
            boolean others = files.anyMatch(f -> !OURS.contains(f.getFileName().toString()) && Files.isRegularFile(f) && Files.isExecutable(f));
            if (others) {
                return null;
            }
        } catch (IOException e) {
            return "cannot read the CNI bin directory " + dir + " on node " + node + ": " + e.getMessage();
        }
        return "the CNI bin directory " + dir + " on node " + node + " holds no CNI plugin but nfvlab's, so it is not where "
                + "this node's runtime runs plugins from and pods cannot attach through nfvlab-cni; set cni.binDir to that "
                + "directory (k3s: /var/lib/rancher/k3s/data/current/bin; most others: /opt/cni/bin)";
    }
}
