package io.nfvlab.operator.controller;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives the Java Operator SDK's meters ({@code operator.sdk.*}) the HELP text they are registered without: Prometheus's
 * linter ({@code promtool check metrics}) rejects a metric with none, and a user reading /metrics should learn what
 * each counts. Meters that carry a description keep theirs.
 */
final class SdkMeterDescriptions implements MeterFilter {
    /** By name prefix, most specific first (the SDK appends the controller name to some). */
    private static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        HELP.put("operator.sdk.controllers.execution.reconcile.success", "Java Operator SDK: reconcile calls that returned, by controller and outcome type");
        HELP.put("operator.sdk.controllers.execution.reconcile.failure", "Java Operator SDK: reconcile calls that threw, by controller and exception");
        HELP.put("operator.sdk.controllers.execution.cleanup.success", "Java Operator SDK: cleanup calls that returned, by controller");
        HELP.put("operator.sdk.controllers.execution.cleanup.failure", "Java Operator SDK: cleanup calls that threw, by controller and exception");
        HELP.put("operator.sdk.controllers.execution.reconcile", "Java Operator SDK: time of one reconcile call, by controller");
        HELP.put("operator.sdk.controllers.execution.cleanup", "Java Operator SDK: time of one cleanup call, by controller");
        HELP.put("operator.sdk.events.received", "Java Operator SDK: events received, by event type, action and resource kind");
        HELP.put("operator.sdk.events.delete", "Java Operator SDK: delete events received, by resource kind");
        HELP.put("operator.sdk.reconciliations.started", "Java Operator SDK: reconciliations started, by resource kind and retry");
        HELP.put("operator.sdk.reconciliations.success", "Java Operator SDK: reconciliations that succeeded, by resource kind");
        HELP.put("operator.sdk.reconciliations.failed", "Java Operator SDK: reconciliations that failed, by resource kind and exception");
        HELP.put("operator.sdk.reconciliations.executions", "Java Operator SDK: reconciliations running now (the name ends with the controller)");
        HELP.put("operator.sdk.reconciliations.queue.size", "Java Operator SDK: resources waiting for a reconcile (the name ends with the controller)");
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null || !id.getName().startsWith("operator.sdk.")) {
            return id;
        }
        String help = HELP.entrySet().stream().filter(e -> id.getName().startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse("Java Operator SDK: " + id.getName());
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help, id.getType());
    }
}
