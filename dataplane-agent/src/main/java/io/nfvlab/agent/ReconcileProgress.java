package io.nfvlab.agent;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reconciles this agent has in flight and since when. The agent renews its Lease only while none has run longer
 * than {@code stuckAfter}: an agent whose reconciles hang (a kernel call that never returns, a deadlock) would tear
 * nothing down either, so it must look dead to the operator, whose gone-node rule then stops waiting for it.
 */
final class ReconcileProgress {
    private record InFlight(String what, long startedNanos) {
    }

    private final Duration stuckAfter;
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    ReconcileProgress(Duration stuckAfter) {
        this.stuckAfter = stuckAfter;
    }

    /** Marks {@code what} as running until the returned handle is closed. */
    Handle begin(String what) {
        long id = ids.incrementAndGet();
        inFlight.put(id, new InFlight(what, System.nanoTime()));
        return () -> inFlight.remove(id);
    }

    /** Why the agent is stuck (its oldest reconcile has run past the bound), or empty while reconciles make progress. */
    Optional<String> stuck() {
        long now = System.nanoTime();
        return inFlight.values().stream()
                .filter(f -> now - f.startedNanos() > stuckAfter.toNanos())
                .min(java.util.Comparator.comparingLong(InFlight::startedNanos))
                .map(f -> "the " + f.what() + " has run for " + Duration.ofNanos(now - f.startedNanos()).toSeconds()
                        + "s (more than " + stuckAfter.toSeconds() + "s)");
    }

    /** Ends one reconcile's record. */
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
