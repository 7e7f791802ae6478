package io.nfvlab.agent.traffic;

import io.nfvlab.api.node.TrafficJobResult;
import io.nfvlab.api.traffic.PairResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobResultsTest {
    private static PairResult ping(int i, boolean lost) {
        return PairResult.builder().source("h" + i).destination("h0").sent(1L).received(lost ? 0L : 1L)
                .lossPercent(lost ? 100.0 : 0.0).build();
    }

    @Test
    void aBigJobKeepsItsTotalsAndAFewPairsTroubledFirst() {
        List<PairResult> pairs = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            pairs.add(ping(i, i % 100 == 0));
        }
        TrafficJobResult r = JobResults.aggregated(TrafficJobResult.builder().id("j").results(pairs).build());

        assertThat(r.getPairCount()).isEqualTo(1000);
        assertThat(r.getSent()).isEqualTo(1000);
        assertThat(r.getReceived()).isEqualTo(990);
        assertThat(r.getTroubledPairs()).isEqualTo(10);
        assertThat(r.getResults()).hasSize(JobResults.MAX_LISTED_PAIRS);
        assertThat(r.getResults().subList(0, 10)).allMatch(p -> p.getReceived() == 0);
        assertThat(r.getResults().subList(10, JobResults.MAX_LISTED_PAIRS)).allMatch(p -> p.getReceived() == 1);
    }

    @Test
    void aJobOfAFewHundredPairsListsThemAllForMininetsGrid() {
        List<PairResult> pairs = new ArrayList<>();
        for (int i = 1; i <= JobResults.ALL_PAIRS_UP_TO; i++) {
            pairs.add(ping(i, i % 7 == 0));
        }
        TrafficJobResult r = JobResults.aggregated(TrafficJobResult.builder().id("j").results(pairs).build());
        assertThat(r.getResults()).hasSize(JobResults.ALL_PAIRS_UP_TO);
        assertThat(r.getPairCount()).isEqualTo(JobResults.ALL_PAIRS_UP_TO);
    }

    @Test
    void aSmallJobListsEveryPairAndItsTotals() {
        TrafficJobResult r = JobResults.aggregated(TrafficJobResult.builder().id("j").results(List.of(ping(1, false), ping(2, true))).build());
        assertThat(r.getResults()).hasSize(2);
        assertThat(r.getSent()).isEqualTo(2);
        assertThat(r.getReceived()).isEqualTo(1);
    }

    @Test
    void throughputPairsGetNoEchoTotals() {
        PairResult tcp = PairResult.builder().source("h1").destination("h2").bitsPerSecond(1e9).build();
        TrafficJobResult r = JobResults.aggregated(TrafficJobResult.builder().id("j").results(List.of(tcp)).build());
        assertThat(r.getSent()).isNull();
        assertThat(r.getPairCount()).isEqualTo(1);
    }
}
