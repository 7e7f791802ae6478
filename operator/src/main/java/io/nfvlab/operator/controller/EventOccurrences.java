package io.nfvlab.operator.controller;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times this operator has recorded each Event, so that a repeat is one PATCH of its count without reading
 * the Event first. Like the Kubernetes event recorder's cache it forgets the oldest names beyond a bound, and starts
 * again from the first repeat after a restart.
 */
final class EventOccurrences {
    static final int REMEMBERED = 4096;

    private final Map<String, Integer> counts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** The count of {@code key}'s Event now that it was seen once more (2 when this operator never counted it). */
    synchronized int seenAgain(String key) {
        return counts.merge(key, 2, (was, one) -> was + 1);
    }
}
