package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.TrafficJob.JobPair;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which pairs the uncounted resolution rounds of a pingall ask for: one of each two-way pair of sources. */
class ResolutionPairsTest {
    private static JobPair pair(int from, int to) {
        return JobPair.builder().source("h" + from).sourceNetns("ns-h" + from).destination("h" + to)
                .destinationNetns("ns-h" + to).destinationAddress("10.0.0." + to).build();
    }

    private static Map<String, List<JobPair>> bySource(List<JobPair> pairs) {
        Map<String, List<JobPair>> out = new LinkedHashMap<>();
        pairs.forEach(p -> out.computeIfAbsent(p.getSourceNetns(), k -> new ArrayList<>()).add(p));
        return out;
    }

    private static Map<String, List<String>> asked(Map<String, List<JobPair>> resolution) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        resolution.forEach((s, g) -> out.put(s, g.stream().map(JobPair::getDestination).toList()));
        return out;
    }

    @Test
    void aPingallAsksEachUnorderedPairOnceFromTheEarlierSource() {
        List<JobPair> all = new ArrayList<>();
        for (int s = 1; s <= 3; s++) {
            for (int d = 1; d <= 3; d++) {
                if (s != d) all.add(pair(s, d));
            }
        }
        assertThat(asked(PingRunner.resolutionPairs(bySource(all))))
                .containsEntry("ns-h1", List.of("h2", "h3"))
                .containsEntry("ns-h2", List.of("h3"))
                .containsEntry("ns-h3", List.of());
    }

    @Test
    void aOneWayPairIsAlwaysAskedByItsOwnSource() {
        // h2 → h1 has no h1 → h2 beside it: nobody else resolves it
        List<JobPair> pairs = List.of(pair(1, 3), pair(2, 1), pair(3, 1));
        assertThat(asked(PingRunner.resolutionPairs(bySource(pairs))))
                .containsEntry("ns-h1", List.of("h3"))
                .containsEntry("ns-h2", List.of("h1"))
                .containsEntry("ns-h3", List.of());
    }
}
