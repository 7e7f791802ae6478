package io.nfvlab.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class CniBinDirTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryWithTheRuntimesPluginsIsFine() throws IOException {
        executable("nfvlab-cni");
        executable("bridge");
        assertThat(CniBinDir.problem(dir, "n1")).isNull();
    }

    @Test
    void aDirectoryWithNothingButNfvlabsIsNotTheRuntimesAndTheWarningSaysWhereToLook() throws IOException {
        executable("nfvlab-cni");
        Files.writeString(dir.resolve("README"), "not a plugin");
        assertThat(CniBinDir.problem(dir, "n1")).contains("node n1", "holds no CNI plugin but nfvlab's", "cni.binDir",
                "/var/lib/rancher/k3s/data/current/bin");
    }

    @Test
    void aMissingDirectoryIsNamed() {
        assertThat(CniBinDir.problem(dir.resolve("absent"), "n1")).contains(dir.resolve("absent").toString(), "does not exist on node n1");
    }

    private void executable(String name) throws IOException {
        Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
}
