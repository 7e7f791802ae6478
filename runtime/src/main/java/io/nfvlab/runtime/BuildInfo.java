package io.nfvlab.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built: the Maven version and the source revision, as the build wrote them into {@code build.properties}.
 * The revision is "unknown" unless the build was given {@code -Dnfvlab.revision=$(git rev-parse HEAD)}: this class
 * never guesses one. Both the operator and the agent export it as {@code nfvlab_build_info{version,revision}}.
 */
public record BuildInfo(String version, String revision) {
    public static final String UNKNOWN = "unknown";
    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(known(p.getProperty("version")), known(p.getProperty("revision")));
    }

    /** An unfiltered placeholder (an IDE build that skipped filtering) counts as unknown, not as a version. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.trim();
    }
}
