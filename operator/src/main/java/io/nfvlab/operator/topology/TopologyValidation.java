package io.nfvlab.operator.topology;

import io.nfvlab.api.validation.TopologyValidator;
import io.nfvlab.api.validation.Violation;
import io.nfvlab.api.topology.VirtualTopology;

import java.util.ArrayList;
import java.util.List;

/**
 * What the reconciler rejects before planning: everything {@link TopologyValidator} finds, plus what only the
 * operator cares about (the name becomes a label value on the node states).
 */
public final class TopologyValidation {
    /** Label values are at most 63 characters. */
    public static final int MAX_NAME = 63;

    private TopologyValidation() {
    }

    public static List<Violation> validate(VirtualTopology topology) {
        List<Violation> out = new ArrayList<>();
        if (topology.getMetadata().getName().length() > MAX_NAME) {
            out.add(new Violation("metadata.name", "at most " + MAX_NAME + " characters (it labels the topology's node states)"));
        }
        out.addAll(TopologyValidator.validate(topology.getSpec()));
        return out;
    }
}
