package io.nfvlab.cli;

import io.nfvlab.cli.prompt.Prompt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code nfvlab clean}, Mininet's {@code mn -c}: what a run killed outright left (namespaces, links, its kubeconfig)
 * goes; a run in progress keeps everything.
 */
class CleanIT {
    @BeforeEach
    void needsRoot() {
        assumeTrue(HostInfo.isRoot(), "nfvlab run and clean create and delete network namespaces: needs root");
    }

    /** A run at its prompt, with what it printed so far. */
    private record KeptRun(Process process, BufferedReader out, Path kubeconfig) {
    }

    private static KeptRun keep(String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", "./nfvlab", "run", "--topo", "linear,2",
                "--name", name, "--keep").directory(CliProcess.REPO.toFile()).redirectErrorStream(true);
        pb.environment().putAll(CliProcess.BUILT);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String seen = CliProcess.readUntil(out, Prompt.PROMPT, Duration.ofMinutes(3));
        assertThat(seen).as(seen).contains(name + " ready", Prompt.PROMPT);
        Matcher m = Pattern.compile("--kubeconfig (\\S+)").matcher(seen);
        assertThat(m.find()).as(seen).isTrue();
        return new KeptRun(p, out, Path.of(m.group(1)));
    }

    @Test
    void aKilledRunsLeftoversGoAndARunInProgressKeepsItsOwn() throws Exception {
        String killedToken = CliProcess.token("cli-killed");
        String aliveToken = CliProcess.token("cli-alive");
        KeptRun killed = keep("cli-killed");
        KeptRun alive = null;
        try {
            killed.process().destroyForcibly();
            assertThat(killed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(CliProcess.leftovers(killedToken)).as("what SIGKILL left").isNotEmpty();
            assertThat(killed.kubeconfig()).exists();

            alive = keep("cli-alive");
            CliProcess.Result clean = CliProcess.run(List.of("./nfvlab", "clean"), null, Duration.ofMinutes(2), CliProcess.BUILT);

            assertThat(clean.exitCode()).as(clean.all()).isZero();
            assertThat(clean.stdout()).contains("Removed what", killedToken, "runs in progress left alone")
                    .doesNotContain(aliveToken);
            assertThat(CliProcess.leftovers(killedToken)).isEmpty();
            assertThat(killed.kubeconfig()).doesNotExist();
            assertThat(CliProcess.leftovers(aliveToken)).as("the live run's network").isNotEmpty();
            assertThat(alive.kubeconfig()).exists();

            OutputStream in = alive.process().getOutputStream();
            in.write("exit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(alive.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(alive.process().exitValue()).isZero();
            assertThat(CliProcess.leftovers(aliveToken)).isEmpty();

            CliProcess.Result again = CliProcess.run(List.of("./nfvlab", "clean"), null, Duration.ofMinutes(2), CliProcess.BUILT);
            assertThat(again.exitCode()).as(again.all()).isZero();
            assertThat(again.stdout()).doesNotContain(killedToken, aliveToken);
        } finally {
            killed.process().destroyForcibly();
            if (alive != null) {
                alive.process().destroyForcibly();
            }
            Files.deleteIfExists(killed.kubeconfig());
            if (!CliProcess.leftovers(killedToken).isEmpty()) {
                // the test failed before clean removed them: try once more, so that a failure leaks nothing
                CliProcess.run(List.of("./nfvlab", "clean"), null, Duration.ofMinutes(2), CliProcess.BUILT);
            }
        }
    }
}
