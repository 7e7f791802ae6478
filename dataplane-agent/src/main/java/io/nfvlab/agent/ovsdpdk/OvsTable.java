package io.nfvlab.agent.ovsdpdk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of {@code ovs-vsctl --format=json list|find} output, with OVSDB's ["map",…], ["set",…] and ["uuid",…]
 * wrappers turned into Java maps, lists and strings. One ovs-vsctl call with several commands prints one JSON object
 * per command; {@link #parseAll} splits them.
 */
public record OvsTable(List<Map<String, Object>> rows) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<OvsTable> parseAll(String output) {
        List<OvsTable> tables = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(JSON.getFactory()
                .createParser(output).configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, true))) {
            while (it.hasNext()) {
                tables.add(of(it.next()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ovs-vsctl printed output that is not JSON: " + e.getMessage(), e);
        }
        return tables;
    }

    static OvsTable of(JsonNode table) {
        List<String> headings = new ArrayList<>();
        table.path("headings").forEach(h -> headings.add(h.asText()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : table.path("data")) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < headings.size() && i < row.size(); i++) {
                values.put(headings.get(i), value(row.get(i)));
            }
            rows.add(values);
        }
        return new OvsTable(rows);
    }

    private static Object value(JsonNode node) {
        if (node.isArray() && node.size() == 2 && node.get(0).isTextual()) {
            String tag = node.get(0).asText();
            switch (tag) {
                case "map" -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    node.get(1).forEach(pair -> map.put(pair.get(0).asText(), value(pair.get(1))));
                    return map;
                }
                case "set" -> {
                    List<Object> list = new ArrayList<>();
                    node.get(1).forEach(v -> list.add(value(v)));
                    return list;
                }
                case "uuid", "named-uuid" -> {
                    return node.get(1).asText();
                }
                default -> {
                }
            }
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return node.asText();
    }

    /** A string column; an empty OVSDB set (an unset optional column) reads as null. */
    public static String string(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v instanceof List<?> l) {
            return l.isEmpty() ? null : String.valueOf(l.get(0));
        }
        return v == null ? null : String.valueOf(v);
    }

    public static Long number(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v instanceof List<?> l) {
            v = l.isEmpty() ? null : l.get(0);
        }
        return v instanceof Number n ? n.longValue() : null;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
