package io.nfvlab.api.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Standard Kubernetes conditions kept as a list keyed by {@code type}.
 * {@code lastTransitionTime} changes only when the status flips, so writing the same condition twice is a no-op.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String SYNCED = "Synced";
    /** kstatus: True while the controller (or an agent) is still applying the current generation. */
    public static final String RECONCILING = "Reconciling";
    /** kstatus: True when reconciling cannot go on without a change to the object or the cluster. */
    public static final String STALLED = "Stalled";

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {
    }

    /** Returns a new list with {@code type} set; the input list is not modified. */
    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason,
                                      String message, Long observedGeneration) {
        return set(current, type, status ? TRUE : FALSE, reason, message, observedGeneration, Clock.systemUTC());
    }

    public static List<Condition> set(List<Condition> current, String type, String status, String reason,
                                      String message, Long observedGeneration, Clock clock) {
        List<Condition> result = new ArrayList<>(current == null ? List.of() : current);
        Optional<Condition> existing = result.stream().filter(c -> type.equals(c.getType())).findFirst();
        String transition = existing
                .filter(c -> status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        Condition updated = new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(observedGeneration)
                .withLastTransitionTime(transition)
                .build();
        existing.ifPresentOrElse(c -> result.set(result.indexOf(c), updated), () -> result.add(updated));
        return result;
    }

    /**
     * Where an object stands for kstatus, and so for Flux, Argo CD and {@code kubectl wait}: a tool reads
     * {@code Reconciling=True} as "in progress" and {@code Stalled=True} as "failed"; with neither True, the object is
     * current and {@code Ready} says whether it is good.
     */
    public enum Standing {
        /** Still applying: an agent has not reported the current generation yet, or reports errors it retries. */
        RECONCILING,
        /** Cannot go on: an invalid spec, an unsatisfiable placement, a failed or timed-out test. */
        STALLED,
        /** Done with the current generation: Ready tells whether the result is good. */
        SETTLED
    }

    /**
     * Sets {@code Reconciling} and {@code Stalled} for {@code standing} (never both True), with {@code reason} and
     * {@code message} on the one that is True; {@code Ready} is the caller's.
     */
    public static List<Condition> stand(List<Condition> current, Standing standing, String reason, String message,
                                        Long observedGeneration, Clock clock) {
        List<Condition> result = set(current, RECONCILING, standing == Standing.RECONCILING ? TRUE : FALSE, reason,
                standing == Standing.RECONCILING ? message : "", observedGeneration, clock);
        return set(result, STALLED, standing == Standing.STALLED ? TRUE : FALSE, reason,
                standing == Standing.STALLED ? message : "", observedGeneration, clock);
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    /** True when both lists carry the same conditions, ignoring order. */
    public static boolean sameConditions(List<Condition> a, List<Condition> b) {
        List<Condition> left = a == null ? List.of() : a;
        List<Condition> right = b == null ? List.of() : b;
        return left.size() == right.size() && left.stream().allMatch(c -> right.stream().anyMatch(o -> Objects.equals(o, c)));
    }
}
