package io.nfvlab.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The two archives {@code scripts/build-images.sh} writes for a version, or why they cannot be used. */
record ImageArchives(Path operator, Path agent) {
    static final String BUILD_COMMAND = "sudo scripts/build-images.sh";

    static Path operatorIn(Path dir, String version) {
        return dir.resolve("nfvlab-operator-" + version + ".oci.tar");
    }

    static Path agentIn(Path dir, String version) {
        return dir.resolve("nfvlab-agent-" + version + ".oci.tar");
    }

    /** Null when both archives are there; otherwise every missing one and the command that makes them. */
    static String missing(Path dir, String version) {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(operatorIn(dir, version), agentIn(dir, version))) {
            if (!Files.isRegularFile(p)) {
                missing.add(p.toString());
            }
        }
        return missing.isEmpty() ? null : "image archive(s) missing: " + String.join(", ", missing) + " (" + BUILD_COMMAND + " makes them)";
    }

    /** @throws IllegalStateException with {@link #missing} */
    static ImageArchives find(Path dir, String version) {
        String missing = missing(dir, version);
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        return new ImageArchives(operatorIn(dir, version), agentIn(dir, version));
    }

    List<Path> both() {
        return List.of(operator, agent);
    }
}
