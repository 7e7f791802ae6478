package io.nfvlab.agent.kernel.linux;

import io.nfvlab.agent.kernel.shaping.ShapingMechanisms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NetemProbeRecordTest {
    @TempDir
    Path dir;

    private NetemProbeRecord record() {
        return new NetemProbeRecord(dir.resolve("run/nfvlab/netem-probe"), dir.resolve("sys/module/sch_netem"));
    }

    @Test
    void anAnswerIsReadBackDuringTheBootThatWroteIt() {
        record().write("boot-1", ShapingMechanisms.WITH_NETEM);
        assertThat(record().read("boot-1")).contains(ShapingMechanisms.WITH_NETEM);
        record().write("boot-1", ShapingMechanisms.WITHOUT_NETEM);
        assertThat(record().read("boot-1")).contains(ShapingMechanisms.WITHOUT_NETEM);
        assertThat(dir.resolve("run/nfvlab")).isDirectoryContaining(p -> p.getFileName().toString().equals("netem-probe"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("netem-probe."));
    }

    @Test
    void anotherBootOrNoRecordOrAnUnknownBootMeansProbing() {
        assertThat(record().read("boot-1")).isEmpty();
        record().write("boot-1", ShapingMechanisms.WITH_NETEM);
        assertThat(record().read("boot-2")).isEmpty();
        assertThat(record().read(null)).isEmpty();
        record().write(null, ShapingMechanisms.WITHOUT_NETEM);
        assertThat(record().read("boot-1")).contains(ShapingMechanisms.WITH_NETEM);
    }

    @Test
    void anAbsentModuleThatHasSinceBeenLoadedMeansProbing() throws Exception {
        record().write("boot-1", ShapingMechanisms.WITHOUT_NETEM);
        Files.createDirectories(dir.resolve("sys/module/sch_netem"));
        assertThat(record().read("boot-1")).isEmpty();
    }

    @Test
    void aRecordThatSaysAnythingElseMeansProbing() throws Exception {
        Path file = dir.resolve("run/nfvlab/netem-probe");
        Files.createDirectories(file.getParent());
        for (String text : new String[]{"", "boot-1", "boot-1 maybe", "boot-1 netem extra", "\u0000\u0001"}) {
            Files.writeString(file, text);
            assertThat(record().read("boot-1")).as(text).isEmpty();
        }
    }

    @Test
    void aRecordThatCannotBeWrittenIsNotAnError() throws Exception {
        Path blocker = dir.resolve("run");
        Files.writeString(blocker, "a file where the directory would be");
        record().write("boot-1", ShapingMechanisms.WITH_NETEM);
        assertThat(record().read("boot-1")).isEmpty();
    }

    @Test
    void aRecordedAnswerIsUsedWithoutProbing() {
        record().write("boot-1", ShapingMechanisms.WITH_NETEM);
        assertThat(NetemProbe.probedOnceThisBoot(record(), "boot-1", () -> {
            throw new AssertionError("probed although this boot's answer is recorded");
        })).isEqualTo(ShapingMechanisms.WITH_NETEM);
    }

    @Test
    void aProbeThatCouldNotTellIsNotKept() {
        assertThat(NetemProbe.probedOnceThisBoot(record(), "boot-1", () -> null)).isEqualTo(ShapingMechanisms.WITHOUT_NETEM);
        assertThat(record().read("boot-1")).as("an inconclusive probe is not kept").isEmpty();
        assertThat(NetemProbe.probedOnceThisBoot(record(), "boot-1", () -> ShapingMechanisms.WITH_NETEM))
                .isEqualTo(ShapingMechanisms.WITH_NETEM);
        assertThat(record().read("boot-1")).contains(ShapingMechanisms.WITH_NETEM);
    }
}
