package io.nfvlab.agent.kernel.shaping;

import io.nfvlab.api.node.NetworkNodeStateSpec;
import io.nfvlab.api.node.NetworkNodeStateStatus.ShapingCarriers;
import io.nfvlab.api.node.PlannedLink;
import io.nfvlab.api.node.PlannedTunnel;
import io.nfvlab.api.topology.LinkParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node status's account of which mechanism carries which parameter ({@link LinkShaping#carriers}), grouped by
 * combination so that a thousand links shaped alike take one entry's text once.
 */
public final class ShapingReport {
    private ShapingReport() {
    }

    /** The groups for a node's plan (null when nothing is shaped, so the status omits it). */
    public static List<ShapingCarriers> of(NetworkNodeStateSpec spec, ShapingMechanisms mechanisms) {
        Map<String, List<String>> byCarriers = new LinkedHashMap<>();
        for (PlannedLink l : spec.linksOrEmpty()) {
            if (l.vhostUserEnd() == null) {
                add(byCarriers, "links/" + l.getId(), l.getParams(), mechanisms);
            }
        }
        for (PlannedTunnel t : spec.tunnelsOrEmpty()) {
            add(byCarriers, "tunnels/" + t.getId(), t.getParams(), mechanisms);
        }
        if (byCarriers.isEmpty()) {
            return null;
        }
        List<ShapingCarriers> out = new ArrayList<>();
        byCarriers.forEach((c, items) -> out.add(new ShapingCarriers(c, items)));
        return out;
    }

    private static void add(Map<String, List<String>> out, String item, LinkParams p, ShapingMechanisms mechanisms) {
        String carriers;
        try {
            carriers = LinkShaping.of(p, mechanisms).carriers();
        } catch (IllegalArgumentException e) {
            return; // the item's error says why it is not shaped
        }
        if (!carriers.isEmpty()) {
            out.computeIfAbsent(carriers, k -> new ArrayList<>()).add(item);
        }
    }
}
