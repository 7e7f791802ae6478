package io.nfvlab.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class E2eTargetTest {
    @TempDir
    Path dir;

    private record Engine(String unavailable, Set<String> images) implements E2eTarget.Engine {
        @Override
        public boolean hasImage(String image) {
            return images.contains(image);
        }
    }

    private static final Engine NO_ENGINE = new Engine("Testcontainers found none", Set.of());
    private static final Engine K3S_PRESENT = new Engine(null, Set.of(E2eTarget.DEFAULT_K3S_IMAGE));

    @Test
    void aKubeconfigGivenByPropertyOrVariableWinsOverK3s() throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), "apiVersion: v1\nkind: Config\n");
        E2eTarget byProperty = E2eTarget.choose(Map.of(E2eTarget.KUBECONFIG_PROPERTY, kubeconfig.toString())::get, n -> null, K3S_PRESENT);
        assertThat(byProperty.kind()).isEqualTo(E2eTarget.Kind.KUBECONFIG);
        assertThat(byProperty.kubeconfig()).isEqualTo(kubeconfig);
        E2eTarget byEnv = E2eTarget.choose(n -> "", Map.of(E2eTarget.KUBECONFIG_ENV, kubeconfig.toString())::get, K3S_PRESENT);
        assertThat(byEnv.kind()).isEqualTo(E2eTarget.Kind.KUBECONFIG);
    }

    @Test
    void aKubeconfigThatWasAskedForButCannotBeReadIsAnErrorNotASkip() {
        assertThatThrownBy(() -> E2eTarget.choose(Map.of(E2eTarget.KUBECONFIG_PROPERTY, dir.resolve("missing").toString())::get, n -> null, NO_ENGINE))
                .hasMessageContaining("is not a readable file").hasMessageContaining("missing");
    }

    @Test
    void k3sRunsWhereTheEngineHoldsTheImage() {
        E2eTarget target = E2eTarget.choose(n -> "", n -> null, K3S_PRESENT);
        assertThat(target.kind()).isEqualTo(E2eTarget.Kind.K3S);
        assertThat(target.k3sImage()).isEqualTo(E2eTarget.DEFAULT_K3S_IMAGE);
        E2eTarget other = E2eTarget.choose(Map.of(E2eTarget.K3S_IMAGE_PROPERTY, "k3s:mine")::get, n -> null, new Engine(null, Set.of("k3s:mine")));
        assertThat(other.k3sImage()).isEqualTo("k3s:mine");
    }

    @Test
    void otherwiseTheSkipSaysWhyAndHowToGiveACluster() {
        E2eTarget none = E2eTarget.choose(n -> null, n -> null, NO_ENGINE);
        assertThat(none.kind()).isEqualTo(E2eTarget.Kind.NONE);
        assertThat(none.reason()).contains("-Dnfvlab.e2e.kubeconfig=FILE", "$NFVLAB_E2E_KUBECONFIG", "Testcontainers found none");
        E2eTarget noImage = E2eTarget.choose(n -> null, n -> null, new Engine(null, Set.of()));
        assertThat(noImage.kind()).isEqualTo(E2eTarget.Kind.NONE);
        assertThat(noImage.reason()).contains("has no image " + E2eTarget.DEFAULT_K3S_IMAGE, "-Dnfvlab.e2e.k3sImage");
    }
}
