package io.nfvlab.api.expansion;

import io.nfvlab.api.topology.LinkDefaults;
import io.nfvlab.api.topology.LinkParams;
import io.nfvlab.api.topology.LinkSpec;
import io.nfvlab.api.topology.ProfileNames;
import io.nfvlab.api.topology.VirtualTopologySpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The LinkProfiles one topology names, looked up once per reconcile, and how a list of them merges: in order, a later
 * profile's value winning over an earlier one's. {@link TopologyExpander} layers the result under the values written
 * in the topology (precedence in {@link ProfileNames#PRECEDENCE}). A profile names no profiles, so there are no cycles
 * to follow.
 */
public final class LinkProfiles {
    /** Ready=False reason of a topology that names a LinkProfile that does not exist. */
    public static final String PROFILE_NOT_FOUND = "LinkProfileNotFound";
    private static final LinkProfiles NONE = new LinkProfiles(new TreeMap<>(), List.of());

    private final SortedMap<String, LinkParams> found;
    private final List<Missing> missing;

    /** A profile the topology names at {@code field} (for {@code link}) that the lookup did not find. */
    public record Missing(String field, String link, String profile) {
        public String message() {
            return field + ": " + link + " names LinkProfile " + profile + ", which does not exist";
        }
    }

    private LinkProfiles(SortedMap<String, LinkParams> found, List<Missing> missing) {
        this.found = found;
        this.missing = missing;
    }

    /** No profiles: what a spec that names none needs, and what tools without a cluster use to draw a file. */
    public static LinkProfiles none() {
        return NONE;
    }

    /**
     * Looks up every profile {@code spec} names; {@code lookup} returns a profile's parameters, or null when there is
     * no such profile.
     */
    public static LinkProfiles resolve(VirtualTopologySpec spec, Function<String, LinkParams> lookup) {
        SortedMap<String, LinkParams> found = new TreeMap<>();
        List<Missing> missing = new ArrayList<>();
        forEachReference(spec, (field, link, name) -> {
            if (found.containsKey(name)) {
                return;
            }
            LinkParams p = lookup.apply(name);
            if (p == null) {
                missing.add(new Missing(field, link, name));
            } else {
                found.put(name, LinkParams.copyParams(p));
            }
        });
        return new LinkProfiles(found, List.copyOf(missing));
    }

    /** Every profile name {@code spec} refers to (for finding the topologies a changed profile affects). */
    public static Set<String> namedBy(VirtualTopologySpec spec) {
        Set<String> names = new LinkedHashSet<>();
        if (spec != null) {
            forEachReference(spec, (field, link, name) -> names.add(name));
        }
        return names;
    }

    /** The references that found no profile, one per reference (a name missing twice is reported where it is named). */
    public List<Missing> missing() {
        return missing;
    }

    /** The profiles found, by name, with their values: what the topology's status reports as in force. */
    public SortedMap<String, LinkParams> inForce() {
        return Collections.unmodifiableSortedMap(found);
    }

    /** The named profiles merged in order (later wins); unknown names contribute nothing; never null. */
    public LinkParams merged(List<String> names) {
        LinkParams merged = new LinkParams();
        for (String name : ProfileNames.orEmpty(names)) {
            LinkParams p = found.get(name);
            if (p != null) {
                merged = LinkParams.copyParams(p).withDefaults(merged);
            }
        }
        return merged;
    }

    private interface Reference {
        void at(String field, String link, String profile);
    }

    private static void forEachReference(VirtualTopologySpec spec, Reference to) {
        LinkDefaults defaults = spec.getLinkDefaults();
        if (defaults != null) {
            List<String> names = ProfileNames.orEmpty(defaults.getProfiles());
            for (int i = 0; i < names.size(); i++) {
                to.at("spec.linkDefaults.profiles[" + i + "]", "linkDefaults", names.get(i));
            }
        }
        references(spec.linksOrEmpty(), "spec.links", "link", to);
        references(spec.linkOverridesOrEmpty(), "spec.linkOverrides", "the override of link", to);
    }

    private static void references(List<LinkSpec> links, String path, String what, Reference to) {
        for (int i = 0; i < links.size(); i++) {
            LinkSpec l = links.get(i);
            if (l == null) {
                continue;
            }
            List<String> names = ProfileNames.orEmpty(l.getProfiles());
            for (int j = 0; j < names.size(); j++) {
                to.at(path + "[" + i + "].profiles[" + j + "]", what + " " + l.getA() + "-" + l.getB(), names.get(j));
            }
        }
    }

    @Override
    public String toString() {
        return "LinkProfiles" + found.keySet() + (missing.isEmpty() ? "" : " missing " + missing);
    }

    /** For tests and tools: profiles given as a map. */
    public static LinkProfiles of(VirtualTopologySpec spec, Map<String, ? extends LinkParams> profiles) {
        return resolve(spec, profiles::get);
    }
}
