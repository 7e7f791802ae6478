package io.nfvlab.operator.topology;

import io.nfvlab.api.expansion.LinkProfiles;
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

    /**
     * The violations, or none and the expanded graph (the reconcile plans from it: one expansion per reconcile), its
     * links carrying the values of the LinkProfiles found in {@code profiles}.
     */
    public static TopologyValidator.Checked check(VirtualTopology topology, LinkProfiles profiles) {
        List<Violation> out = new ArrayList<>();
        if (topology.getMetadata().getName().length() > MAX_NAME) {
            out.add(new Violation("metadata.name", "at most " + MAX_NAME + " characters (it labels the topology's node states)"));
        }
        TopologyValidator.Checked spec = TopologyValidator.check(topology.getSpec(), profiles);
        out.addAll(spec.violations());
        return new TopologyValidator.Checked(out, out.isEmpty() ? spec.graph() : null);
    }
}
