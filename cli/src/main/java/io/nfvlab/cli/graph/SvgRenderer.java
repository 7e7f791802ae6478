package io.nfvlab.cli.graph;

import io.nfvlab.cli.CliException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * SVG through Graphviz's {@code dot} (Debian's graphviz package), run with fixed arguments ({@code dot -Tsvg}) and
 * the DOT text on its stdin: nothing from the topology reaches dot's option parser or a shell.
 */
public final class SvgRenderer {
    private static final long TIMEOUT_SECONDS = 60;

    private SvgRenderer() {
    }

    /** The dot executable on PATH, if Graphviz is installed. */
    public static Optional<Path> dot() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "dot");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static String render(String dotText) {
        Path dot = dot().orElseThrow(() -> CliException.failure(
                "-o svg needs Graphviz's dot, which is not installed here (apt-get install graphviz); "
                        + "or write DOT with -o dot and render it elsewhere"));
        Process process;
        try {
            process = new ProcessBuilder(List.of(dot.toString(), "-Tsvg")).start();
        } catch (IOException e) {
            throw CliException.failure("cannot run " + dot + ": " + e.getMessage());
        }
        // stdin written and stderr read on their own threads: a large graph fills a pipe before dot finishes
        CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(dotText.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String svg = readAll(process.getInputStream());
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw CliException.failure(dot + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            in.join();
            if (process.exitValue() != 0) {
                throw CliException.failure(dot + " -Tsvg failed (exit " + process.exitValue() + "): "
                        + err.join().strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted");
        }
        return svg;
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            stream.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
