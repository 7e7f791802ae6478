package io.nfvlab.agent.ovs;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a {@code select} result, its columns read as typed values. RFC 7047 writes a column as an atom, a
 * {@code ["set", [...]]} (an optional column that is unset is the empty set), a {@code ["map", [[k, v], ...]]} or a
 * {@code ["uuid", "..."]}; this is the one place that unwraps them.
 */
public record Row(JsonNode columns) {
    /** A string (or other atom) column as text; null when the column is an empty set or absent. */
    public String string(String column) {
        JsonNode v = atom(columns.get(column));
        return v == null ? null : v.asText();
    }

    /** An integer column; null when it is an empty set or absent. */
    public Long number(String column) {
        JsonNode v = atom(columns.get(column));
        return v == null || !v.isNumber() ? null : v.asLong();
    }

    public boolean bool(String column) {
        JsonNode v = atom(columns.get(column));
        return v != null && v.asBoolean();
    }

    /** This row's own UUID ({@code _uuid}, selected explicitly). */
    public String uuid() {
        return string("_uuid");
    }

    /** A map column with its values as text (external_ids, options, other_config); empty when absent. */
    public Map<String, String> map(String column) {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode v = columns.get(column);
        if (tagged(v, "map")) {
            for (JsonNode pair : v.get(1)) {
                out.put(atom(pair.get(0)).asText(), atom(pair.get(1)).asText());
            }
        }
        return out;
    }

    /** A map column of integers (statistics). */
    public Map<String, Long> counters(String column) {
        Map<String, Long> out = new LinkedHashMap<>();
        JsonNode v = columns.get(column);
        if (tagged(v, "map")) {
            for (JsonNode pair : v.get(1)) {
                out.put(atom(pair.get(0)).asText(), pair.get(1).asLong());
            }
        }
        return out;
    }

    /** A set column's members as text (UUIDs unwrapped); a single atom is a set of one. */
    public List<String> set(String column) {
        List<String> out = new ArrayList<>();
        JsonNode v = columns.get(column);
        if (tagged(v, "set")) {
            v.get(1).forEach(m -> out.add(atom(m).asText()));
        } else if (v != null && !v.isNull()) {
            out.add(atom(v).asText());
        }
        return out;
    }

    private static JsonNode atom(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (tagged(v, "uuid") || tagged(v, "named-uuid")) {
            return v.get(1);
        }
        if (tagged(v, "set")) {
            return v.get(1).isEmpty() ? null : atom(v.get(1).get(0));
        }
        return v;
    }

    private static boolean tagged(JsonNode v, String tag) {
        return v != null && v.isArray() && v.size() == 2 && tag.equals(v.get(0).asText());
    }
}
