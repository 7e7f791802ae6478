package io.nfvlab.agent.cni;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What ADD did, one small JSON file per attachment, so DEL undoes exactly that. Written atomically (temporary file,
 * fsync, rename) before the first change, so a DEL after a crash half-way through still finds it.
 */
final class AttachmentStore {
    private final Path dir;

    AttachmentStore(String dir) {
        this.dir = Path.of(dir);
    }

    Path file(String network, String containerId, String ifname) {
        return dir.resolve(AttachmentNames.stateFile(network, containerId, ifname));
    }

    void write(Path file, Map<String, Object> record) throws CniException {
        try {
            Files.createDirectories(dir);
            Path tmp = temporary(file);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(Json.write(record)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot write state " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> read(Path file) throws CniException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Object parsed = Json.parse(Files.readString(file));
            return parsed instanceof Map ? (Map<String, Object>) parsed : null;
        } catch (IOException | Json.ParseException e) {
            // a torn or foreign file: DEL still removes what the derived names point at
            return null;
        }
    }

    /** Where {@link #write} puts a record before the rename: left behind when the agent is killed in between. */
    private static Path temporary(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".tmp");
    }

    /** Removes the record and a temporary copy a write cut short (kill -9 before the rename) left beside it. */
    void delete(Path file) throws CniException {
        try {
            Files.deleteIfExists(temporary(file));
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot delete state " + file + ": " + e.getMessage());
        }
    }

    List<Path> all() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            files.forEach(out::add);
        } catch (IOException e) {
            // nothing readable to collect
        }
        return out;
    }
}
