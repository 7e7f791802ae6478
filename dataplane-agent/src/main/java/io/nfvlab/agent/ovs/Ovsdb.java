package io.nfvlab.agent.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * RFC 7047 operations and values of the Open_vSwitch database, as JSON. Each method states the operation; the
 * ovs-vsctl commands they add up to are in {@link OvsTransaction}.
 */
public final class Ovsdb {
    static final ObjectMapper JSON = new ObjectMapper();

    private Ovsdb() {
    }

    /** {@code select COLUMNS from TABLE where ...}. */
    public static ObjectNode select(String table, ArrayNode where, String... columns) {
        ObjectNode op = op("select", table);
        op.set("where", where);
        ArrayNode cols = op.putArray("columns");
        for (String c : columns) {
            cols.add(c);
        }
        return op;
    }

    public static ObjectNode insert(String table, ObjectNode row, String uuidName) {
        ObjectNode op = op("insert", table);
        op.set("row", row);
        if (uuidName != null) {
            op.put("uuid-name", uuidName);
        }
        return op;
    }

    public static ObjectNode update(String table, ArrayNode where, ObjectNode row) {
        ObjectNode op = op("update", table);
        op.set("where", where);
        op.set("row", row);
        return op;
    }

    /** {@code mutate TABLE where ...}: each mutation is {@code [column, mutator, value]}. */
    public static ObjectNode mutate(String table, ArrayNode where, ArrayNode... mutations) {
        ObjectNode op = op("mutate", table);
        op.set("where", where);
        ArrayNode list = op.putArray("mutations");
        for (ArrayNode m : mutations) {
            list.add(m);
        }
        return op;
    }

    /** Fails the whole transaction unless a row of TABLE matches {@code where} right now. */
    public static ObjectNode exists(String table, ArrayNode where) {
        ObjectNode op = op("wait", table);
        op.set("where", where);
        op.putArray("columns");
        op.put("until", "!=");
        op.putArray("rows");
        op.put("timeout", 0);
        return op;
    }

    public static ObjectNode row() {
        return JSON.createObjectNode();
    }

    // ------------------------------------------------------------------ conditions and mutations

    /** No condition: every row (the Open_vSwitch table has one). */
    public static ArrayNode all() {
        return JSON.createArrayNode();
    }

    public static ArrayNode where(String column, String function, JsonNode value) {
        ArrayNode where = JSON.createArrayNode();
        where.addArray().add(column).add(function).add(value);
        return where;
    }

    public static ArrayNode nameIs(String name) {
        return where("name", "==", JSON.getNodeFactory().textNode(name));
    }

    public static ArrayNode mutation(String column, String mutator, JsonNode value) {
        return JSON.createArrayNode().add(column).add(mutator).add(value);
    }

    // ------------------------------------------------------------------ values

    public static ArrayNode map(Map<String, String> entries) {
        ArrayNode pairs = JSON.createArrayNode();
        entries.forEach((k, v) -> pairs.addArray().add(k).add(v));
        return JSON.createArrayNode().add("map").add(pairs);
    }

    /** A set of strings, or of UUID values when the members are JSON arrays. */
    public static ArrayNode set(Collection<?> members) {
        ArrayNode list = JSON.createArrayNode();
        for (Object m : members) {
            if (m instanceof JsonNode node) {
                list.add(node);
            } else {
                list.add(String.valueOf(m));
            }
        }
        return JSON.createArrayNode().add("set").add(list);
    }

    public static ArrayNode emptySet() {
        return set(List.of());
    }

    public static ArrayNode uuid(String uuid) {
        return JSON.createArrayNode().add("uuid").add(uuid);
    }

    public static ArrayNode namedUuid(String name) {
        return JSON.createArrayNode().add("named-uuid").add(name);
    }

    /** The rows of a select result, decoded. */
    public static List<Row> rows(JsonNode result) {
        List<Row> rows = new ArrayList<>();
        result.path("rows").forEach(r -> rows.add(new Row(r)));
        return rows;
    }

    private static ObjectNode op(String op, String table) {
        ObjectNode node = JSON.createObjectNode();
        node.put("op", op);
        node.put("table", table);
        return node;
    }
}
