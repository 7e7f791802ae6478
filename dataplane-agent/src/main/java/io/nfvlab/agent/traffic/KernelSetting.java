package io.nfvlab.agent.traffic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One numeric kernel setting under {@code /proc/sys} that a traffic test raises and never lowers: the machine's other
 * topologies and tests share it and may rely on the higher value.
 */
final class KernelSetting {
    private final String name;
    private final Path file;

    KernelSetting(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    /** Its value now, or empty where it cannot be read. */
    OptionalLong value() {
        try {
            return OptionalLong.of(Long.parseLong(read(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Sets it from {@code now} to {@code wanted} when that is higher. Returns a line for the test's result when it
     * was raised ("… raised from A to B (why)") or could not be ("could not raise …: ifRefused"), empty when
     * {@code now} was enough.
     */
    Optional<String> raise(long now, long wanted, String why, String ifRefused) {
        if (wanted <= now) {
            return Optional.empty();
        }
        try {
            Files.writeString(file, Long.toString(wanted));
            return Optional.of(name + " raised from " + now + " to " + wanted + " (" + why + ")");
        } catch (IOException e) {
            return Optional.of("could not raise " + name + " from " + now + " to " + wanted + " (" + e.getMessage() + "): " + ifRefused);
        }
    }

    /** What {@code parse} makes of {@code file}, or empty where the kernel does not show it (or not in that form). */
    static <T> Optional<T> parsed(Path file, Function<String, T> parse) {
        try {
            return Optional.of(parse.apply(read(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The whole file in one read (a sysctl or /proc file answers only a read at offset 0). */
    static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
