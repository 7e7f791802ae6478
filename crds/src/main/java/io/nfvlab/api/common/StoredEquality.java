package io.nfvlab.api.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Compares model objects as the API server stores them: as JSON, where a null field, an empty list and an empty
 * object all mean "not set". Lombok's equals would see a difference between null and an empty list after a round
 * trip, and the operator would rewrite unchanged objects forever.
 */
public final class StoredEquality {
    private StoredEquality() {
    }

    public static boolean same(Object a, Object b) {
        return normalized(a).equals(normalized(b));
    }

    /** The JSON the API server would store for {@code value}, with "not set" in one form. */
    public static JsonNode normalized(Object value) {
        JsonNode node = ModelJson.mapper().valueToTree(value);
        return node == null ? ModelJson.mapper().nullNode() : prune(node);
    }

    private static JsonNode prune(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode child = prune(e.getValue());
                if (isEmpty(child)) {
                    it.remove();
                } else {
                    e.setValue(child);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                arr.set(i, prune(arr.get(i)));
            }
        } else if (node.isNumber()) {
            // 5 and 5.0 are the same number to the API server
            return ModelJson.mapper().getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }

    private static boolean isEmpty(JsonNode node) {
        return node == null || node.isNull() || (node.isContainerNode() && node.isEmpty());
    }
}
