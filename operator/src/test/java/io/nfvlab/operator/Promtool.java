package io.nfvlab.operator;

import io.nfvlab.agent.process.CommandRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Prometheus's own linter, Debian's {@code promtool} (package prometheus, installed by scripts/setup-host.sh). A test
 * that needs it is skipped, saying why, where it is absent.
 */
public final class Promtool {
    private Promtool() {
    }

    public static Path require() {
        Path tool = Stream.of(System.getenv("PATH").split(":")).map(d -> Path.of(d, "promtool")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(tool != null, "promtool is not installed (Debian package prometheus; scripts/setup-host.sh installs it)");
        return tool;
    }

    /** Runs {@code promtool check metrics} on a scrape; returns its complaints, empty when the names pass. */
    public static String checkMetrics(String exposition) throws Exception {
        var r = CommandRunner.run(List.of(require().toString(), "check", "metrics"), exposition, Duration.ofSeconds(30));
        return r.exitCode() == 0 ? "" : ("exit " + r.exitCode() + ": " + r.stdout() + r.stderr()).strip();
    }
}
