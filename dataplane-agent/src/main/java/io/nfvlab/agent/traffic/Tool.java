package io.nfvlab.agent.traffic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The programs traffic jobs run, with the Debian package that provides each (named in the error when missing). */
public enum Tool {
    IP("ip", "iproute2"),
    PING("ping", "iputils-ping"),
    FPING("fping", "fping"),
    IPERF3("iperf3", "iperf3");

    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private final String program;
    private final String debianPackage;

    Tool(String program, String debianPackage) {
        this.program = program;
        this.debianPackage = debianPackage;
    }

    public String program() {
        return program;
    }

    public String debianPackage() {
        return debianPackage;
    }

    /** Where the program is, looking in PATH and the usual system directories (agents often run with a short PATH). */
    public Optional<Path> locate() {
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

    public boolean installed() {
        return locate().isPresent();
    }

    /** One line for a Failed job: which program is missing and which package brings it. */
    public String missingMessage() {
        return program + " is not installed on this node (install the Debian package " + debianPackage + ")";
    }

    /** The first missing tool of those given, if any. */
    public static Optional<Tool> firstMissing(Tool... tools) {
        List<Tool> missing = new ArrayList<>();
        for (Tool t : tools) {
            if (!t.installed()) {
                missing.add(t);
            }
        }
        return missing.stream().findFirst();
    }
}
