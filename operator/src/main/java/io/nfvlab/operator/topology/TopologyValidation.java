package io.nfvlab.operator.topology;

import io.nfvlab.api.topology.HostSpec;
import io.nfvlab.api.topology.PlacementSpec;
import io.nfvlab.api.topology.VirtualTopology;
import io.nfvlab.topology.TopologyException;
import io.nfvlab.topology.TopologyExpander;

import java.util.ArrayList;
import java.util.List;

/**
 * What the reconciler rejects before planning: everything {@link TopologyExpander} cannot expand, plus the rules that
 * only the operator knows (names used as label values, explicit placement without a node).
 */
public final class TopologyValidation {
    /** Label values (owner name on node states) are at most 63 characters. */
    public static final int MAX_NAME = 63;

    private TopologyValidation() {
    }

    public static List<SpecViolation> validate(VirtualTopology topology) {
        List<SpecViolation> out = new ArrayList<>();
        if (topology.getMetadata().getName().length() > MAX_NAME) {
            out.add(new SpecViolation("metadata.name", "at most " + MAX_NAME + " characters (it labels the topology's node states)"));
        }
        if (topology.getSpec() == null) {
            out.add(new SpecViolation("spec", "is required"));
            return out;
        }
        try {
            TopologyExpander.expand(topology.getSpec());
        } catch (TopologyException e) {
            String prefix = e.field() + ": ";
            String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            out.add(new SpecViolation(e.field(), message));
        }
        PlacementSpec placement = topology.getSpec().getPlacement();
        if (placement != null && placement.getStrategy() == PlacementSpec.Strategy.EXPLICIT) {
            if (topology.getSpec().getTopology() != null) {
                out.add(new SpecViolation("spec.placement.strategy", "explicit placement needs explicit hosts, each naming its node"));
            }
            List<HostSpec> hosts = topology.getSpec().hostsOrEmpty();
            for (int i = 0; i < hosts.size(); i++) {
                if (hosts.get(i).getNode() == null) {
                    out.add(new SpecViolation("spec.hosts[" + i + "].node", "required with placement strategy explicit"));
                }
            }
        }
        return out;
    }
}
