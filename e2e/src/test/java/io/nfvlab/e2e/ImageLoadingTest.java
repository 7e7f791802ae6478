package io.nfvlab.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The commands must be exactly the README's (section Images), which were checked against each tool. */
class ImageLoadingTest {
    private static final Path ARCHIVE = Path.of("target/images/nfvlab-agent-0.1.0-SNAPSHOT.oci.tar");

    @Test
    void eachRuntimeLoadsTheArchiveWithItsOwnCommand() {
        assertThat(ImageLoading.parse("kind").command(ARCHIVE))
                .containsExactly("kind", "load", "image-archive", ARCHIVE.toString());
        assertThat(ImageLoading.parse("kind:e2e").command(ARCHIVE))
                .containsExactly("kind", "load", "image-archive", ARCHIVE.toString(), "--name", "e2e");
        assertThat(ImageLoading.parse("k3s").command(ARCHIVE))
                .containsExactly("k3s", "ctr", "images", "import", ARCHIVE.toString());
        assertThat(ImageLoading.parse("containerd").command(ARCHIVE))
                .containsExactly("ctr", "-n", "k8s.io", "images", "import", ARCHIVE.toString());
    }

    @Test
    void unsetOrNoneLoadsNothing() {
        assertThat(ImageLoading.parse(null).command(ARCHIVE)).isEmpty();
        assertThat(ImageLoading.parse("").command(ARCHIVE)).isEmpty();
        assertThat(ImageLoading.parse("none").command(ARCHIVE)).isEmpty();
    }

    @Test
    void anUnknownRuntimeOrAClusterNameThatIsNoNameIsRefusedWithTheProperty() {
        assertThatThrownBy(() -> ImageLoading.parse("docker"))
                .hasMessageContaining("nfvlab.e2e.loadImages").hasMessageContaining("'docker'");
        assertThatThrownBy(() -> ImageLoading.parse("kind:--all;rm"))
                .hasMessageContaining("nfvlab.e2e.loadImages");
        assertThatThrownBy(() -> ImageLoading.parse("k3s:foo"))
                .hasMessageContaining("only kind takes a cluster name");
    }
}
