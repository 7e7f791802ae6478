package io.nfvlab.agent.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentStoreTest {
    @TempDir
    Path dir;

    @Test
    void deleteAlsoRemovesTheTemporaryCopyOfAWriteCutShortByAKill() throws Exception {
        AttachmentStore store = new AttachmentStore(dir.toString());
        Path file = store.file("net", "c1", "net1");
        // what a kill -9 between writing the temporary file and renaming it leaves (found by ChaosIT)
        Files.writeString(file.resolveSibling("." + file.getFileName() + ".tmp"), "{\"port\":\"nvc0\"");
        store.delete(file);
        assertThat(listed()).isEmpty();

        store.write(file, Map.of("port", "nvc1"));
        assertThat(store.read(file)).containsEntry("port", "nvc1");
        store.delete(file);
        assertThat(listed()).isEmpty();
    }

    private java.util.List<Path> listed() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
