package io.nfvlab.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the image archives of {@code scripts/build-images.sh} get into a cluster's container runtime when no registry
 * serves them: the exact command per runtime, run on the machine the test runs on (for {@code kind}, the host of the
 * kind cluster; for {@code k3s} and {@code containerd}, a one-node cluster on this machine). The README lists the
 * same commands. Chosen with {@code -Dnfvlab.e2e.loadImages=kind[:CLUSTER]|k3s|containerd|none}; {@code none} (the
 * default) means the nodes already have the images.
 */
record ImageLoading(Runtime runtime, String cluster) {
    enum Runtime { NONE, KIND, K3S, CONTAINERD }

    static ImageLoading parse(String value) {
        if (value == null || value.isBlank() || value.equals("none")) {
            return new ImageLoading(Runtime.NONE, null);
        }
        String[] parts = value.split(":", 2);
        String cluster = parts.length == 2 ? parts[1] : null;
        Runtime runtime = switch (parts[0]) {
            case "kind" -> Runtime.KIND;
            case "k3s" -> Runtime.K3S;
            case "containerd" -> Runtime.CONTAINERD;
            default -> throw new IllegalArgumentException("nfvlab.e2e.loadImages: unknown runtime '" + parts[0]
                    + "' (one of kind, kind:CLUSTER, k3s, containerd, none)");
        };
        if (cluster != null && (runtime != Runtime.KIND || !cluster.matches("[a-z0-9][a-z0-9.-]{0,62}"))) {
            throw new IllegalArgumentException("nfvlab.e2e.loadImages: only kind takes a cluster name (kind:NAME, "
                    + "lower-case letters, digits, '-' and '.'), not '" + value + "'");
        }
        return new ImageLoading(runtime, cluster);
    }

    /** The argument vector that loads {@code archive}; empty for {@link Runtime#NONE}. */
    List<String> command(Path archive) {
        List<String> argv = new ArrayList<>(switch (runtime) {
            case NONE -> List.<String>of();
            case KIND -> List.of("kind", "load", "image-archive", archive.toString());
            case K3S -> List.of("k3s", "ctr", "images", "import", archive.toString());
            case CONTAINERD -> List.of("ctr", "-n", "k8s.io", "images", "import", archive.toString());
        });
        if (runtime == Runtime.KIND && cluster != null) {
            argv.addAll(List.of("--name", cluster));
        }
        return argv;
    }
}
