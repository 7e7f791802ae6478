package io.nfvlab.operator.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.nfvlab.api.common.Conditions;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Events for a change of an object's Ready condition, so that {@code kubectl describe} tells its story: becoming
 * Ready, waiting, and why it failed (an invalid spec, no place to run, errors its node agents report). An Event is a
 * Warning while the object is Stalled or Degraded, else Normal. A new status or reason is always recorded; a new
 * message only on a Warning (what failed changed), not while progress messages tick ("waiting for node-a, node-b").
 */
public final class ReadyEvents {
    private ReadyEvents() {
    }

    public static void record(Events events, HasMetadata about, List<Condition> before, List<Condition> after) {
        Optional<Condition> now = Conditions.find(after, Conditions.READY);
        if (now.isEmpty()) {
            return;
        }
        Condition ready = now.get();
        Condition was = Conditions.find(before, Conditions.READY).orElse(null);
        boolean warning = Conditions.isTrue(after, Conditions.STALLED) || Conditions.isTrue(after, Conditions.DEGRADED);
        boolean changed = was == null || !Objects.equals(was.getStatus(), ready.getStatus())
                || !Objects.equals(was.getReason(), ready.getReason())
                || (warning && !Objects.equals(was.getMessage(), ready.getMessage()));
        if (!changed) {
            return;
        }
        if (warning) {
            events.warning(about, ready.getReason(), ready.getMessage());
        } else {
            events.normal(about, ready.getReason(), ready.getMessage());
        }
    }
}
