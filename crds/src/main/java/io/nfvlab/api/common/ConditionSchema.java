package io.nfvlab.api.common;

/**
 * The schema of {@code status.conditions} as Kubernetes' own {@code metav1.Condition} declares it, for the status
 * classes to apply with {@code @SchemaCustomizer(value = JsonMergePatch.class, input = ConditionSchema.PATCH)}.
 * fabric8's {@code Condition} class would otherwise give an untyped list: no required fields, no {@code status} enum,
 * no date-time, and a plain list that server-side apply replaces as a whole instead of merging by {@code type}, so the
 * operator and an agent could not each own their conditions.
 */
public final class ConditionSchema {
    /** A JSON merge patch onto the schema of a class that has a {@code conditions} property. */
    public static final String PATCH = """
            {"properties": {"conditions": {
              "type": "array",
              "description": "Standard conditions (metav1.Condition), one per type. Ready is the summary (True is good); Reconciling is True while the operator or an agent is still applying the current generation; Stalled is True when it cannot go on without a change (an invalid spec, an unsatisfiable placement, a failed test).",
              "x-kubernetes-list-type": "map",
              "x-kubernetes-list-map-keys": ["type"],
              "items": {
                "type": "object",
                "description": "One aspect of the object's current state.",
                "required": ["lastTransitionTime", "message", "reason", "status", "type"],
                "properties": {
                  "lastTransitionTime": {"type": "string", "format": "date-time",
                    "description": "When the condition last changed from one status to another (not when it was last written)."},
                  "message": {"type": "string", "maxLength": 32768,
                    "description": "What a person needs to know about the transition; may be empty."},
                  "observedGeneration": {"type": "integer", "format": "int64", "minimum": 0,
                    "description": "The metadata.generation the condition was set for: a condition older than the object's generation is stale."},
                  "reason": {"type": "string", "minLength": 1, "maxLength": 1024, "pattern": "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                    "description": "Why the condition is in its status, as a CamelCase word for programs (InvalidSpec, NodeErrors, Passed)."},
                  "status": {"type": "string", "enum": ["True", "False", "Unknown"],
                    "description": "True, False or Unknown."},
                  "type": {"type": "string", "maxLength": 316, "pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                    "description": "The condition's type in CamelCase: Ready, Reconciling, Stalled, and the kind's own (Progressing, Degraded, Completed, Passed, Synced)."}
                }
              }
            }}}
            """;

    private ConditionSchema() {
    }
}
