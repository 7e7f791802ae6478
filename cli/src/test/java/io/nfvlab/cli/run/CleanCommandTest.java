package io.nfvlab.cli.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CleanCommandTest {
    @TempDir
    Path dir;

    @Test
    void findsAClusterAgentByItsMainClassOrJar() throws IOException {
        Files.createDirectories(dir.resolve("12"));
        Files.write(dir.resolve("12/cmdline"), "bash\0-c\0sleep 1\0".getBytes());
        Files.createDirectories(dir.resolve("345"));
        Files.write(dir.resolve("345/cmdline"), "/opt/java/bin/java\0-jar\0/opt/nfvlab/nfvlab-agent.jar\0".getBytes());
        Files.createDirectories(dir.resolve("self"));

        assertThat(CleanCommand.clusterAgent(dir)).contains(345L);

        Files.delete(dir.resolve("345/cmdline"));
        assertThat(CleanCommand.clusterAgent(dir)).isEmpty();
    }

    @Test
    void removesOnlyTheKubeconfigsOfProcessesThatAreGone() throws IOException {
        long self = ProcessHandle.current().pid();
        Path mine = Files.createFile(dir.resolve("kubeconfig-" + self));
        Path gone = Files.createFile(dir.resolve("kubeconfig-2147483646"));
        Path other = Files.createFile(dir.resolve("kubeconfig-notes"));

        assertThat(CleanCommand.removeDeadKubeconfigs(dir)).isEqualTo(1);
        assertThat(mine).exists();
        assertThat(gone).doesNotExist();
        assertThat(other).exists();
    }
}
