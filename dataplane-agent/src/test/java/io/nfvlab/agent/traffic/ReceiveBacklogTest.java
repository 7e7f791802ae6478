package io.nfvlab.agent.traffic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.nfvlab.agent.traffic.PingParserTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

class ReceiveBacklogTest {
    @TempDir
    Path dir;

    @Test
    void statisticsSumTheDropsAndTheQueuedFramesOfEveryCpu() {
        // /proc/net/stat/softnet_stat of this 2-core machine (kernel 6.18, 15 columns) after 10,000-host pingalls; CPU 0's
        // queue columns (12: total, 14 and 15: input and process queue) set to a flood in progress
        ReceiveBacklog.Stats stats = ReceiveBacklog.parse(fixture("softnet_stat-2cpu.txt"));
        assertThat(stats.dropped()).isEqualTo(0x0ec85cf7L + 0x0d697ff0L);
        assertThat(stats.queued()).isEqualTo(0x1f40);
    }

    @Test
    void aKernelWithoutTheQueueColumnShowsNothingQueued() {
        ReceiveBacklog.Stats stats = ReceiveBacklog.parse("0000a001 00000002 00000003 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n");
        assertThat(stats.dropped()).isEqualTo(2);
        assertThat(stats.queued()).isZero();
    }

    @Test
    void aLimitTooSmallForTwoFloodsIsRaisedAndTheResultSaysSo() throws IOException {
        ReceiveBacklog backlog = backlog("5000\n");
        assertThat(backlog.makeRoomFor(10_102)).hasValueSatisfying(note -> assertThat(note)
                .startsWith("net.core.netdev_max_backlog raised from 5000 to 20204")
                .contains("flooded to up to 10102 interfaces"));
        assertThat(Files.readString(dir.resolve("limit"))).isEqualTo("20204");
    }

    @Test
    void aLimitWithRoomIsNeitherWrittenNorLowered() throws IOException {
        ReceiveBacklog backlog = backlog("5000\n");
        assertThat(backlog.makeRoomFor(64)).isEmpty();
        assertThat(backlog.makeRoomFor(2500)).isEmpty();
        assertThat(Files.readString(dir.resolve("limit"))).isEqualTo("5000\n");
    }

    @Test
    void waitingForRoomReturnsOnceTheQueueIsBelowTheFloodAndGivesUpAfterItsLimit() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, fixture("softnet_stat-2cpu.txt"));
        ReceiveBacklog backlog = new ReceiveBacklog(dir.resolve("limit"), stat);
        long t = System.nanoTime();
        backlog.awaitBelow(0x1f41, Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - t)).as("8000 queued, below 8001: no wait").isLessThan(Duration.ofSeconds(5));
        t = System.nanoTime();
        backlog.awaitBelow(100, Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - t)).as("8000 queued stays above 100: waited its limit").isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    private ReceiveBacklog backlog(String limit) throws IOException {
        Files.writeString(dir.resolve("limit"), limit);
        return new ReceiveBacklog(dir.resolve("limit"), dir.resolve("stat"));
    }
}
