package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * JSON as HNS and CNI confs need it: key casing is not trusted (HNS's is unverified, and Go
 * decoders match keys case-insensitively, so files in the wild vary), so keys are looked up
 * case-insensitively and written back with the casing found; unknown fields are kept, since the
 * tree model keeps everything; numbers keep their exact value.
 */
final class Json {

    /** Immutable once built; Jackson mappers are thread-safe for reading and writing. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {
    }

    /**
     * The key as spelled in {@code object} that Go's decoder would read for a field called
     * {@code name}: of the keys equal to it in any casing, the last one (Go decodes every match
     * in turn, so the last wins).
     */
    static Optional<String> key(JsonNode object, String name) {
        if (!object.isObject()) {
            return Optional.empty();
        }
        String found = null;
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                found = candidate;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The member called {@code name} in any casing, or empty. */
    static Optional<JsonNode> get(JsonNode object, String name) {
        return key(object, name).map(object::get);
    }

    static Optional<ObjectNode> object(JsonNode object, String name) {
        return get(object, name).filter(JsonNode::isObject).map(ObjectNode.class::cast);
    }

    static Optional<String> text(JsonNode object, String name) {
        return get(object, name).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** One line, no extra whitespace: how requests are sent and how the dry run prints them. */
    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree we built always serialises
        }
    }

    /** A JSON string literal. */
    static String quote(String text) {
        return compact(JsonNodeFactory.instance.textNode(text));
    }

    /** For error messages: enough of a document to recognise it. */
    static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
