package io.nfvlab.api.expansion;

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
    /** Each built-in's parameters in Mininet's positional order. */
    static final Map<String, List<String>> POSITIONAL = Map.of(
            "minimal", List.of(),
            "single", List.of("k"),
            "reversed", List.of("k"),
            "linear", List.of("k", "n"),
            "tree", List.of("depth", "fanout"),
            "torus", List.of("x", "y", "n"));

    public static final Set<String> NAMES = POSITIONAL.keySet();

    public int param(String key, int defaultValue) {
        return params.getOrDefault(key, defaultValue);
    }

    /** The parameters a built-in takes, in Mininet's positional order; empty for an unknown name. */
    public static List<String> parametersOf(String name) {
        return POSITIONAL.getOrDefault(name, List.of());
    }

    /** Sizes of an expanded built-in, computed without expanding it (saturating at Long.MAX_VALUE). */
    public record Counts(long hosts, long switches, long links) {
    }

    /** Mininet's counts: the validator uses them to refuse absurd sizes before expanding. */
    public Counts counts() {
        return switch (name) {
            case "minimal" -> new Counts(2, 1, 2);
            case "single", "reversed" -> {
                int k = param("k", 2);
                yield new Counts(k, 1, k);
            }
            case "linear" -> {
                long hosts = mul(param("k", 2), param("n", 1));
                yield new Counts(hosts, param("k", 2), add(hosts, param("k", 2) - 1L));
            }
            case "tree" -> {
                long hosts = 1;
                long switches = 0;
                for (int i = 0; i < param("depth", 1); i++) {
                    switches = add(switches, hosts);
                    hosts = mul(hosts, param("fanout", 2));
                }
                yield new Counts(hosts, switches, add(hosts, switches) - 1);
            }
            case "torus" -> {
                long switches = mul(param("x", 3), param("y", 3));
                long hosts = mul(switches, param("n", 1));
                yield new Counts(hosts, switches, add(hosts, mul(2, switches)));
            }
            default -> throw new TopologyException("spec.topology.type", "unknown built-in topology " + name);
        };
    }

    private static long mul(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
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
        Map<String, Integer> params = new LinkedHashMap<>();
        putIfSet(params, "k", topology.getK());
        putIfSet(params, "n", topology.getN());
        putIfSet(params, "depth", topology.getDepth());
        putIfSet(params, "fanout", topology.getFanout());
        putIfSet(params, "x", topology.getX());
        putIfSet(params, "y", topology.getY());
        for (String key : params.keySet()) {
            if (!POSITIONAL.get(type).contains(key)) {
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
        List<String> positional = POSITIONAL.get(name);
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
        if (!POSITIONAL.containsKey(name)) {
            throw new TopologyException(field, "unknown built-in topology \"" + name + "\"; known: "
                    + String.join(", ", sortedNames()));
        }
    }

    private static String describeParams(String name) {
        List<String> p = POSITIONAL.get(name);
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
