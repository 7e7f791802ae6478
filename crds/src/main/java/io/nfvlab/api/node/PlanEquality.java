package io.nfvlab.api.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nfvlab.api.common.StoredEquality;

/** When a node's plan counts as unchanged: a new owner generation alone never rewrites a NetworkNodeState. */
public final class PlanEquality {
    private PlanEquality() {
    }

    /** True when the two node plans differ only in the owner's generation (which alone never triggers a write). */
    public static boolean samePlan(NetworkNodeStateSpec a, NetworkNodeStateSpec b) {
        if (a == null || b == null) {
            return a == b;
        }
        JsonNode left = StoredEquality.normalized(a);
        JsonNode right = StoredEquality.normalized(b);
        stripGeneration(left);
        stripGeneration(right);
        return left.equals(right);
    }

    private static void stripGeneration(JsonNode spec) {
        if (spec.get("owner") instanceof ObjectNode owner) {
            owner.remove("generation");
        }
    }
}
