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
        Map<String, Integer> previous = Map.of("s2-eth2~s1-eth2", 5000, "s3-eth2~s2-eth3", 5001);
        Map<String, Integer> vnis = VniAllocator.allocate("abcde", LINKS, previous, Set.of());
        assertThat(vnis).containsEntry("s2-eth2~s1-eth2", 5000).containsEntry("s3-eth2~s2-eth3", 5001);
        assertThat(vnis.get("s4-eth2~s3-eth3")).isBetween(VniAllocator.MIN_VNI, VniAllocator.MAX_VNI).isNotIn(5000, 5001);
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
        Map<String, Integer> vnis = VniAllocator.allocate("abcde", LINKS.subList(0, 1), Map.of(LINKS.get(0), 7000), Set.of(7000));
        assertThat(vnis.get(LINKS.get(0))).isNotEqualTo(7000);
    }

    @Test
    void vnisOfOneTopologyAreDistinct() {
        List<String> many = java.util.stream.IntStream.range(0, 500).mapToObj(i -> "l" + i).toList();
        assertThat(VniAllocator.allocate("abcde", many, Map.of(), Set.of()).values()).doesNotHaveDuplicates().hasSize(500);
    }
}
