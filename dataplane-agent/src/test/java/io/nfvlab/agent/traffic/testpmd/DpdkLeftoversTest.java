package io.nfvlab.agent.traffic.testpmd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpdkLeftoversTest {
    @TempDir
    Path tmp;

    @Test
    void removesEalsFilesAndItsEmptiedRuntimeDirectoryAndTheHugepageFilesOfThatPrefixOnly() throws Exception {
        Path huge = Files.createDirectories(tmp.resolve("hugepages"));
        Path runtime = Files.createDirectories(tmp.resolve("dpdk"));
        Files.createFile(huge.resolve("nvtp-amap_0"));
        Files.createFile(huge.resolve("othermap_0"));
        Path mine = Files.createDirectories(runtime.resolve("nvtp-a"));
        Files.createFile(mine.resolve("dpdk_telemetry.v2"));
        Files.createFile(mine.resolve("telemetry"));
        Files.createFile(mine.resolve("mp_socket"));
        Path other = Files.createDirectories(runtime.resolve("nvtp-b"));
        Files.createFile(other.resolve("telemetry"));

        assertThat(TestpmdRunner.removeDpdkLeftovers("nvtp-a", huge, runtime)).isEqualTo(5);

        assertThat(mine).doesNotExist();
        assertThat(huge.resolve("othermap_0")).exists();
        assertThat(other.resolve("telemetry")).exists();
    }

    @Test
    void aRuntimeDirectoryHoldingSomethingNotEalsIsKept() throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("dpdk"));
        Path mine = Files.createDirectories(runtime.resolve("nvtp-a"));
        Files.createFile(mine.resolve("telemetry"));
        Files.createFile(mine.resolve("notes.txt"));

        TestpmdRunner.removeDpdkLeftovers("nvtp-a", tmp.resolve("none"), runtime);

        assertThat(mine.resolve("notes.txt")).exists();
        assertThat(mine.resolve("telemetry")).doesNotExist();
    }

    @Test
    void aPrefixThatIsNotAPlainNameIsRefused() {
        assertThatThrownBy(() -> TestpmdRunner.removeDpdkLeftovers("../etc", tmp, tmp))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestpmdRunner.removeDpdkLeftovers("a/b", tmp, tmp))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
