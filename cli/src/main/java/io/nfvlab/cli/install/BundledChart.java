package io.nfvlab.cli.install;

import io.nfvlab.cli.CliException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Helm chart of this release, packed into the CLI at build time from {@code charts/nfvlab} (the one chart: no
 * second copy of the manifests). Helm reads charts from files, so a chart inside the jar is unpacked into a private
 * temporary directory that {@link #close} removes.
 */
final class BundledChart implements AutoCloseable {
    static final String RESOURCE_ROOT = "nfvlab-chart";

    private final Path dir;
    private final boolean unpacked;

    private BundledChart(Path dir, boolean unpacked) {
        this.dir = dir;
        this.unpacked = unpacked;
    }

    static BundledChart open() {
        URL chart = BundledChart.class.getClassLoader().getResource(RESOURCE_ROOT + "/Chart.yaml");
        if (chart == null) {
            throw CliException.failure("this build of nfvlab carries no Helm chart (" + RESOURCE_ROOT + "/Chart.yaml is not on the classpath)");
        }
        try {
            URI uri = chart.toURI();
            if ("file".equals(uri.getScheme())) {
                return new BundledChart(Path.of(uri).getParent(), false);
            }
            Path target = Files.createTempDirectory("nfvlab-chart-");
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                Path root = jar.getPath("/" + RESOURCE_ROOT);
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Path out = target.resolve(root.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(out);
                        } else {
                            Files.copy(p, out);
                        }
                    }
                }
            }
            return new BundledChart(target, true);
        } catch (IOException | URISyntaxException e) {
            throw CliException.failure("cannot read the bundled Helm chart: " + e.getMessage());
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (!unpacked) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary directory is not worth failing the command for
        }
    }
}
