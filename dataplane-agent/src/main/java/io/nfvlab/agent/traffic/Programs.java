package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.Tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds the programs of {@link Tool} on this machine, as the agent will run them. */
public final class Programs {
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Programs() {
    }

    /** Where the program is, looking in PATH and the usual system directories (agents often run with a short PATH). */
    public static Optional<Path> locate(Tool tool) {
        return locate(tool.program());
    }

    /** Where the named program is, looked up as {@link #locate(Tool)} does (for programs nfvlab builds itself). */
    public static Optional<Path> locate(String program) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static boolean installed(Tool tool) {
        return locate(tool).isPresent();
    }

    /** The first missing tool of those given, in their order, if any. */
    public static Optional<Tool> firstMissing(Collection<Tool> tools) {
        return tools.stream().filter(t -> !installed(t)).findFirst();
    }

    /** @throws TrafficJobException naming the first missing program and its package */
    public static void require(Collection<Tool> tools) {
        firstMissing(tools).ifPresent(t -> {
            throw new TrafficJobException(t.missingMessage());
        });
    }
}
