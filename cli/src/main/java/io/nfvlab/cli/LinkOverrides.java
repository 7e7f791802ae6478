package io.nfvlab.cli;

import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.LinkState;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code link a b up|down} and {@code link a b delay=10ms …} write: the topology's linkOverrides with the state or
 * parameters of the a–b link(s) set.
 */
public final class LinkOverrides {
    private LinkOverrides() {
    }

    public static List<LinkSpec> withState(List<LinkSpec> current, String a, String b, LinkState state) {
        List<LinkSpec> result = new ArrayList<>();
        boolean found = false;
        for (LinkSpec o : current == null ? List.<LinkSpec>of() : current) {
            if (o.joins(a, b)) {
                found = true;
                LinkSpec changed = o.toBuilder().state(state).build();
                // an override that only said "down" says nothing once the link is up again: drop it
                if (state == LinkState.UP && !LinkParams.copyParams(changed).isShaped() && changed.getMtu() == null) {
                    continue;
                }
                result.add(changed);
            } else {
                result.add(o);
            }
        }
        if (!found && state == LinkState.DOWN) {
            result.add(LinkSpec.builder().a(a).b(b).state(state).build());
        }
        return result;
    }

    /**
     * The overrides with {@code settings} written into the a–b pair's override(s), or into a new one for the pair;
     * what the overrides said before and the settings do not mention stays.
     */
    public static List<LinkSpec> withSettings(List<LinkSpec> current, String a, String b, LinkSettings settings) {
        if (!settings.hasParameters()) {
            return settings.state() == null ? current : withState(current, a, b, settings.state());
        }
        List<LinkSpec> result = new ArrayList<>();
        boolean found = false;
        for (LinkSpec o : current == null ? List.<LinkSpec>of() : current) {
            if (o.joins(a, b)) {
                found = true;
                result.add(settings.applyTo(o.toBuilder().build()));
            } else {
                result.add(o);
            }
        }
        if (!found) {
            result.add(settings.applyTo(LinkSpec.builder().a(a).b(b).build()));
        }
        return result;
    }
}
