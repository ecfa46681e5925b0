package org.ipmasq.agent.backend.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Evens out spellings that mean the same to libnftables so a version's choice between them does
 * not turn every idle resync into a rewrite: a single flag prints as a string ({@code "flags":
 * "fully-random"}) in some versions and as a one-element array in others, and integers may come
 * back as a wider number type than the one we built. Object key order never matters to Jackson's
 * equality.
 */
final class JsonCanon {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonCanon() {
    }

    static JsonNode of(JsonNode node) {
        if (node == null) {
            return JSON.nullNode();
        }
        if (node.isIntegralNumber()) {
            return JSON.numberNode(node.asLong());
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.arrayNode();
            node.forEach(element -> copy.add(of(element)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if (field.getKey().equals("flags") && value.isTextual()) {
                    value = JSON.arrayNode().add(value);
                }
                copy.set(field.getKey(), of(value));
            }
            return copy;
        }
        return node;
    }
}
