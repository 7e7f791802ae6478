package io.nfvlab.api.expansion;

import io.fabric8.generator.annotation.Max;
import io.nfvlab.api.expansion.builtins.Args;
import io.nfvlab.api.expansion.builtins.BuiltinTopo;
import io.nfvlab.api.expansion.builtins.Builtins;
import io.nfvlab.api.expansion.builtins.Parameter;
import io.nfvlab.api.expansion.builtins.Size;
import io.nfvlab.api.topology.BuiltinTopology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A built-in topology with its parameters resolved, parsed from the structured form or from Mininet's string form
 * ("linear,4", "tree,depth=2,fanout=3"): positional arguments first, then key=value, as {@code mn --topo} takes them.
 */
public record BuiltinSpec(String name, Map<String, Integer> params) {
    public static final Set<String> NAMES = Builtins.names();

    public int param(String key, int defaultValue) {
        return params.getOrDefault(key, defaultValue);
    }

    /** The built-in this names, from the registry. */
    public BuiltinTopo topo() {
        return Builtins.byName(name)
                .orElseThrow(() -> new TopologyException("spec.topology.type", "unknown built-in topology " + name));
    }

    /** The arguments given, with the built-in's defaults for the others. */
    public Args args() {
        return new Args(topo(), params);
    }

    /** The parameters a built-in takes, in Mininet's positional order; empty for an unknown name. */
    public static List<String> parametersOf(String name) {
        return Builtins.byName(name).map(t -> t.parameters().stream().map(Parameter::name).toList()).orElse(List.of());
    }

    /** Sizes of an expanded built-in, computed without expanding it (saturating at Long.MAX_VALUE). */
    public record Counts(long hosts, long switches, long links) {
    }

    /** Mininet's counts: the validator uses them to refuse absurd sizes before expanding. */
    public Counts counts() {
        Size size = topo().size(args());
        return new Counts(size.hosts(), size.switches(), size.links());
    }

    /**
     * The schema's maximum of a parameter (its {@code @Max} on BuiltinTopology), which the string form bypasses: read
     * from the annotation so that the schema stays the one place that says it.
     */
    public static int maximum(String parameter) {
        try {
            return (int) BuiltinTopology.class.getDeclaredField(parameter).getAnnotation(Max.class).value();
        } catch (NoSuchFieldException | NullPointerException e) {
            throw new IllegalStateException("BuiltinTopology has no field " + parameter + " with @Max", e);
        }
    }

    /** The parameters set in the structured form, in the schema's order. */
    public static Map<String, Integer> given(BuiltinTopology topology) {
        Map<String, Integer> params = new LinkedHashMap<>();
        putIfSet(params, "k", topology.getK());
        putIfSet(params, "n", topology.getN());
        putIfSet(params, "depth", topology.getDepth());
        putIfSet(params, "fanout", topology.getFanout());
        putIfSet(params, "x", topology.getX());
        putIfSet(params, "y", topology.getY());
        return params;
    }

    public static BuiltinSpec of(BuiltinTopology topology) {
        if (topology == null || topology.getType() == null || topology.getType().isBlank()) {
            throw new TopologyException("spec.topology.type", "is required: one of " + String.join(", ", sortedNames()));
        }
        String type = topology.getType().trim();
        if (type.contains(",")) {
            return parse(type, "spec.topology.type");
        }
        checkName(type, "spec.topology.type");
        Map<String, Integer> params = given(topology);
        for (String key : params.keySet()) {
            if (!parametersOf(type).contains(key)) {
                throw new TopologyException("spec.topology." + key, "is not a parameter of " + type
                        + " (it takes " + describeParams(type) + ")");
            }
        }
        return new BuiltinSpec(type, params);
    }

    /** Parses Mininet's string form, e.g. "tree,depth=2,fanout=3" or "linear,4,2". */
    public static BuiltinSpec parse(String text, String field) {
        String[] parts = text.trim().split(",");
        String name = parts[0].trim();
        checkName(name, field);
        List<String> positional = parametersOf(name);
        Map<String, Integer> params = new LinkedHashMap<>();
        List<String> seenPositional = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            String key;
            String value;
            int eq = part.indexOf('=');
            if (eq >= 0) {
                key = part.substring(0, eq).trim();
                value = part.substring(eq + 1).trim();
                if (!positional.contains(key)) {
                    throw new TopologyException(field, "\"" + text + "\": " + name + " has no parameter " + key
                            + " (it takes " + describeParams(name) + ")");
                }
            } else {
                if (seenPositional.size() >= positional.size()) {
                    throw new TopologyException(field, "\"" + text + "\": " + name + " takes at most "
                            + positional.size() + " positional parameters (" + describeParams(name) + ")");
                }
                key = positional.get(seenPositional.size());
                value = part;
                seenPositional.add(key);
            }
            if (params.containsKey(key)) {
                throw new TopologyException(field, "\"" + text + "\": " + key + " is given twice");
            }
            params.put(key, parseCount(value, key, text, field));
        }
        return new BuiltinSpec(name, params);
    }

    private static int parseCount(String value, String key, String text, String field) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new TopologyException(field, "\"" + text + "\": " + key + " must be at least 1, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new TopologyException(field, "\"" + text + "\": " + key + " must be a whole number, got \"" + value + "\"");
        }
    }

    private static void checkName(String name, String field) {
        if (!NAMES.contains(name)) {
            throw new TopologyException(field, "unknown built-in topology \"" + name + "\"; known: "
                    + String.join(", ", sortedNames()));
        }
    }

    private static String describeParams(String name) {
        List<String> p = parametersOf(name);
        return p.isEmpty() ? "no parameters" : String.join(", ", p);
    }

    private static List<String> sortedNames() {
        return NAMES.stream().sorted().toList();
    }

    private static void putIfSet(Map<String, Integer> params, String key, Integer value) {
        if (value != null) {
            params.put(key, value);
        }
    }
}
