package io.nfvlab.api.crdgen.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.Iterator;
import java.util.Map;

/**
 * A schema customizer that applies its input as an RFC 7386 JSON merge patch. fabric8's own MergePatchCustomizer
 * replaces nested maps instead of merging them: patching {@code properties.conditions} dropped every sibling property.
 */
public final class JsonMergePatch implements SchemaCustomizer.Customizer {

    @Override
    public JSONSchemaProps apply(JSONSchemaProps props, String input, KubernetesSerialization serialization) {
        JsonNode target = serialization.convertValue(props, JsonNode.class);
        JsonNode patch = serialization.unmarshal(input, JsonNode.class);
        return serialization.convertValue(merge(target, patch), JSONSchemaProps.class);
    }

    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : ((ObjectNode) patch).objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
