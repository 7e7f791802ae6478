package io.nfvlab.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageArchivesTest {
    @TempDir
    Path dir;

    @Test
    void findsBothArchivesOfTheVersion() throws IOException {
        Files.createFile(dir.resolve("nfvlab-operator-1.2.3.oci.tar"));
        Files.createFile(dir.resolve("nfvlab-agent-1.2.3.oci.tar"));
        ImageArchives found = ImageArchives.find(dir, "1.2.3");
        assertThat(ImageArchives.missing(dir, "1.2.3")).isNull();
        assertThat(found.both()).containsExactly(dir.resolve("nfvlab-operator-1.2.3.oci.tar"), dir.resolve("nfvlab-agent-1.2.3.oci.tar"));
    }

    @Test
    void aMissingArchiveIsNamedWithTheCommandThatMakesIt() throws IOException {
        Files.createFile(dir.resolve("nfvlab-operator-1.2.3.oci.tar"));
        Files.createFile(dir.resolve("nfvlab-agent-1.2.2.oci.tar"));
        assertThat(ImageArchives.missing(dir, "1.2.3")).contains("nfvlab-agent-1.2.3.oci.tar");
        assertThatThrownBy(() -> ImageArchives.find(dir, "1.2.3"))
                .hasMessageContaining("nfvlab-agent-1.2.3.oci.tar")
                .hasMessageNotContaining("nfvlab-operator-1.2.3")
                .hasMessageContaining("sudo scripts/build-images.sh");
    }
}
