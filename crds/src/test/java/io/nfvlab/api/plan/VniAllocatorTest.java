package io.nfvlab.api.plan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VniAllocatorTest {
    private static final List<String> LINKS = List.of("s2-eth2~s1-eth2", "s3-eth2~s2-eth3", "s4-eth2~s3-eth3");

    @Test
    void sameInputsGiveSameVnis() {
        assertThat(VniAllocator.allocate("abcde", LINKS, Map.of(), Set.of()))
                .isEqualTo(VniAllocator.allocate("abcde", LINKS, Map.of(), Set.of()));
    }

    @Test
    void recordedVnisAreKeptEvenWhenTheHashWouldChooseOthers() {
        Map<String, Integer> previous = Map.of("s2-eth2~s1-eth2", 2_000_000, "s3-eth2~s2-eth3", 2_000_001);
        Map<String, Integer> vnis = VniAllocator.allocate("abcde", LINKS, previous, Set.of());
        assertThat(vnis).containsEntry("s2-eth2~s1-eth2", 2_000_000).containsEntry("s3-eth2~s2-eth3", 2_000_001);
        assertThat(vnis.get("s4-eth2~s3-eth3")).isBetween(VniRange.DEFAULT.min(), VniRange.DEFAULT.max()).isNotIn(2_000_000, 2_000_001);
    }

    @Test
    void addingALinkKeepsTheOthers() {
        Map<String, Integer> first = VniAllocator.allocate("abcde", LINKS.subList(0, 2), Map.of(), Set.of());
        Map<String, Integer> second = VniAllocator.allocate("abcde", LINKS, first, Set.of());
        assertThat(second).containsAllEntriesOf(first).hasSize(3);
    }

    @Test
    void vnisInUseByOthersAreSkipped() {
        Map<String, Integer> free = VniAllocator.allocate("abcde", LINKS, Map.of(), Set.of());
        Set<Integer> taken = Set.copyOf(free.values());
        Map<String, Integer> other = VniAllocator.allocate("abcde", LINKS, Map.of(), taken);
        assertThat(other.values()).doesNotContainAnyElementsOf(taken).doesNotHaveDuplicates();
    }

    @Test
    void aRecordedVniNowUsedByAnotherOwnerIsReplaced() {
        Map<String, Integer> vnis = VniAllocator.allocate("abcde", LINKS.subList(0, 1), Map.of(LINKS.get(0), 2_000_000), Set.of(2_000_000));
        assertThat(vnis.get(LINKS.get(0))).isNotEqualTo(2_000_000);
    }

    @Test
    void vnisOfOneTopologyAreDistinct() {
        List<String> many = java.util.stream.IntStream.range(0, 500).mapToObj(i -> "l" + i).toList();
        assertThat(VniAllocator.allocate("abcde", many, Map.of(), Set.of()).values()).doesNotHaveDuplicates().hasSize(500);
    }

    /** The default range starts above what cluster networks use (Calico's default VXLAN VNI is 4096). */
    @Test
    void theDefaultRangeLeavesTheClusterNetworksVnisAlone() {
        assertThat(VniRange.DEFAULT.min()).isGreaterThan(65535);
        List<String> many = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "h" + i + "-eth0~s1-eth" + i).toList();
        assertThat(VniAllocator.allocate("abcde", many, Map.of(), Set.of()).values()).allMatch(VniRange.DEFAULT::contains)
                .doesNotContain(1, 4096, 4098);
    }

    @Test
    void aConfiguredRangeIsKeptToAndRecordedVnisOutsideItAreReplaced() {
        VniRange range = VniRange.parse("100-104");
        Map<String, Integer> vnis = VniAllocator.allocate("abcde", LINKS, Map.of(LINKS.get(0), 4096, LINKS.get(1), 102), Set.of(), range);
        assertThat(vnis.values()).allMatch(range::contains).doesNotHaveDuplicates();
        assertThat(vnis).containsEntry(LINKS.get(1), 102);
        assertThat(vnis.get(LINKS.get(0))).isNotEqualTo(4096);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VniAllocator.allocate("abcde", LINKS, Map.of(), Set.of(100, 101, 103), range))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VNI range 100-104 has no free VNI left");
    }

    @Test
    void rangesAreParsedStrictly() {
        assertThat(VniRange.parse("1048576-16777215")).isEqualTo(VniRange.DEFAULT);
        for (String bad : List.of("0-10", "10-5", "1-16777216", "4096", "a-b", "-1-5", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> VniRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
