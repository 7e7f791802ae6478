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

    /** @throws IllegalStateException naming every missing archive and the command that makes them */
    static ImageArchives find(Path dir, String version) {
        List<String> missing = new ArrayList<>();
        Path operator = operatorIn(dir, version);
        Path agent = agentIn(dir, version);
        for (Path p : List.of(operator, agent)) {
            if (!Files.isRegularFile(p)) {
                missing.add(p.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("image archive(s) missing: " + String.join(", ", missing)
                    + " (" + BUILD_COMMAND + " makes them)");
        }
        return new ImageArchives(operator, agent);
    }

    List<Path> both() {
        return List.of(operator, agent);
    }
}
