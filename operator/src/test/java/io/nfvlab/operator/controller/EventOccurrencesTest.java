package io.nfvlab.operator.controller;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventOccurrencesTest {

    @Test
    void countsEachEventsRepeatsFromTwo() {
        EventOccurrences occurrences = new EventOccurrences();
        assertThat(occurrences.seenAgain("default/a")).isEqualTo(2);
        assertThat(occurrences.seenAgain("default/a")).isEqualTo(3);
        assertThat(occurrences.seenAgain("default/b")).isEqualTo(2);
        assertThat(occurrences.seenAgain("default/a")).isEqualTo(4);
    }

    @Test
    void forgetsTheLeastRecentlySeenBeyondItsBound() {
        EventOccurrences occurrences = new EventOccurrences();
        occurrences.seenAgain("old");
        occurrences.seenAgain("kept");
        for (int i = 0; i < EventOccurrences.REMEMBERED - 1; i++) {
            occurrences.seenAgain("e" + i);
            if (i == 10) {
                occurrences.seenAgain("kept");
            }
        }
        assertThat(occurrences.seenAgain("kept")).isEqualTo(4);
        assertThat(occurrences.seenAgain("old")).as("forgotten: counted again from the first repeat").isEqualTo(2);
    }
}
