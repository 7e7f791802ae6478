package io.nfvlab.agent.traffic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nfvlab.agent.traffic.PingParserTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

class NeighbourTableTest {
    @TempDir
    Path dir;

    @Test
    void statisticsGiveTheTablesEntriesAndTheFullCountsOfEveryCpu() {
        // /proc/net/stat/arp_cache of this 2-core machine after tree pingalls against the default limit of 1024
        NeighbourTable.Stats stats = NeighbourTable.parse(fixture("arp_cache-2cpu.txt"));
        assertThat(stats.entries()).isEqualTo(0xfc1);
        assertThat(stats.tableFulls()).isEqualTo(0x2027 + 0x266e);
    }

    @Test
    void aLimitWithRoomIsKeptAndOneWithoutIsRaisedToTheNextPowerOfTwo() {
        assertThat(NeighbourTable.limitFor(10, 100, 1024)).isEqualTo(1024);
        // tree,depth=2,fanout=8: 4032 pairs, up to one entry at each end
        assertThat(NeighbourTable.limitFor(10, 2 * 4032, 1024)).isEqualTo(8192);
        assertThat(NeighbourTable.limitFor(0, 1024, 1024)).as("the kernel refuses at entries >= limit").isEqualTo(2048);
        assertThat(NeighbourTable.limitFor(0, 10, 100_000)).as("never lowered").isEqualTo(100_000);
    }

    @Test
    void makingRoomWritesTheRaisedLimitAndSaysSo() throws IOException {
        NeighbourTable table = table("1024\n");
        assertThat(table.makeRoomFor(8064)).hasValueSatisfying(note -> assertThat(note)
                .startsWith("net.ipv4.neigh.default.gc_thresh3 raised from 1024 to 16384")
                .contains("holds 4033 entries"));
        assertThat(Files.readString(dir.resolve("gc_thresh3"))).isEqualTo("16384");
        assertThat(table.makeRoomFor(8064)).as("room now: nothing to say").isEmpty();
    }

    @Test
    void aLimitThatCannotBeRaisedIsReportedAsTheNodesLossNotTheNetworks() throws IOException {
        // a read-only sysctl (mode 0444: not writable even by root) that holds a number, 65536, standing in for the limit
        Path readOnly = Path.of("/proc/sys/kernel/ngroups_max");
        Files.writeString(dir.resolve("arp_cache"), fixture("arp_cache-2cpu.txt"));
        NeighbourTable table = new NeighbourTable(readOnly, dir.resolve("arp_cache"));
        assertThat(table.makeRoomFor(100_000)).hasValueSatisfying(note -> assertThat(note)
                .startsWith("could not raise net.ipv4.neigh.default.gc_thresh3 from 65536 to 131072")
                .endsWith("echoes are dropped by this node, not by the emulated network"));
    }

    @Test
    void theEvictionThresholdsAreRaisedWithTheLimitAndNeverLowered() throws IOException {
        Files.writeString(dir.resolve("gc_thresh3"), "1024");
        Files.writeString(dir.resolve("gc_thresh1"), "128");
        Files.writeString(dir.resolve("gc_thresh2"), "1000000");
        Files.writeString(dir.resolve("arp_cache"), fixture("arp_cache-2cpu.txt"));
        NeighbourTable table = new NeighbourTable(dir.resolve("gc_thresh3"), dir.resolve("arp_cache"),
                List.of(dir.resolve("gc_thresh1"), dir.resolve("gc_thresh2")));
        table.makeRoomFor(8064);
        assertThat(Files.readString(dir.resolve("gc_thresh1"))).isEqualTo("16384");
        assertThat(Files.readString(dir.resolve("gc_thresh2"))).as("never lowered").isEqualTo("1000000");
    }

    private NeighbourTable table(String limit) throws IOException {
        Files.writeString(dir.resolve("gc_thresh3"), limit);
        Files.writeString(dir.resolve("arp_cache"), fixture("arp_cache-2cpu.txt"));
        return new NeighbourTable(dir.resolve("gc_thresh3"), dir.resolve("arp_cache"));
    }
}
