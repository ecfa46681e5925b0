package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A JSON text read the way the CNI plugins read it (Go's encoding/json), keeping where every
 * value sits in the text so that an edit can replace exactly its characters.
 *
 * <p>Go's decoder accepts a key repeated in one object and keeps the last occurrence; it matches
 * keys to struct fields case-insensitively, so {@code "exceptionlist"} and {@code "ExceptionList"}
 * fill the same field, the later one winning. Objects here keep every member in text order,
 * repeats included, and {@link ObjectValue#member} answers the occurrence the plugin reads.
 * Everything else Go refuses, Jackson's parser refuses too (comments, trailing commas, single
 * quotes, leading zeros, control characters in strings, whitespace other than space, tab, CR and
 * LF); a second top-level value is refused here, as Go refuses it.
 */
final class JsonDocument {

    /** Jackson's parser with its defaults: strict JSON, and duplicate keys left to us. */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A value and its characters: {@code text.substring(start, end)}. */
    sealed interface Value {
        int start();

        int end();
    }

    record Member(String key, Value value) {
    }

    record ObjectValue(int start, int end, List<Member> members) implements Value {

        ObjectValue {
            members = List.copyOf(members);
        }

        /** The member the plugin decodes into a field called {@code name}: the last one whose key matches in any casing. */
        Optional<Member> member(String name) {
            for (int i = members.size() - 1; i >= 0; i--) {
                if (members.get(i).key().equalsIgnoreCase(name)) {
                    return Optional.of(members.get(i));
                }
            }
            return Optional.empty();
        }

        Optional<Value> get(String name) {
            return member(name).map(Member::value);
        }
    }

    record ArrayValue(int start, int end, List<Value> items) implements Value {

        ArrayValue {
            items = List.copyOf(items);
        }
    }

    /** A string, number, boolean or null. */
    record Scalar(int start, int end, JsonNode node) implements Value {
    }

    private JsonDocument() {
    }

    /**
     * @param text the document without a byte order mark
     * @throws JsonDocumentException saying why Go's decoder would refuse the text too
     */
    static Value parse(String text) throws JsonDocumentException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonDocumentException("the file is empty");
            }
            Value root = read(parser, first);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new JsonDocumentException("a second value after the document at line " + at.getLineNr()
                        + ", column " + at.getColumnNr());
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new JsonDocumentException(explain(text, e), e);
        } catch (IOException e) {
            throw new JsonDocumentException(e.getMessage(), e);
        }
    }

    private static Value read(JsonParser parser, JsonToken token) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        switch (token) {
            case START_OBJECT -> {
                List<Member> members = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String key = parser.currentName();
                    members.add(new Member(key, read(parser, parser.nextToken())));
                }
                return new ObjectValue(start, closing(parser), members);
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    items.add(read(parser, next));
                }
                return new ArrayValue(start, closing(parser), items);
            }
            case VALUE_STRING -> {
                String value = parser.getText();
                // Strings are read lazily by Jackson: only once read is the end of the token known.
                return new Scalar(start, (int) parser.currentLocation().getCharOffset(),
                        JsonNodeFactory.instance.textNode(value));
            }
            case VALUE_NUMBER_INT -> {
                return new Scalar(start, start + parser.getText().length(),
                        JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue()));
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(start, start + parser.getText().length(),
                        JsonNodeFactory.instance.numberNode(parser.getDecimalValue()));
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(start, start + parser.getText().length(),
                        JsonNodeFactory.instance.booleanNode(token == JsonToken.VALUE_TRUE));
            }
            case VALUE_NULL -> {
                return new Scalar(start, start + 4, JsonNodeFactory.instance.nullNode());
            }
            default -> throw new IOException("unexpected " + token + " at offset " + start);
        }
    }

    private static int closing(JsonParser parser) {
        return (int) parser.currentTokenLocation().getCharOffset() + 1;
    }

    /**
     * The value as the plugin's decoder sees it, as a Jackson tree: in each object a key that
     * occurs more than once in any casing appears once, with the last occurrence's spelling and
     * value. For reading settings; edits go through the positions.
     */
    static JsonNode goView(Value value) {
        if (value instanceof ObjectValue object) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Member member : object.members()) {
                for (Iterator<String> names = out.fieldNames(); names.hasNext();) {
                    if (names.next().equalsIgnoreCase(member.key())) {
                        names.remove();
                    }
                }
                out.set(member.key(), goView(member.value()));
            }
            return out;
        }
        if (value instanceof ArrayValue array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.items().forEach(item -> out.add(goView(item)));
            return out;
        }
        return ((Scalar) value).node();
    }

    /**
     * The whole structure without positions, every member kept in order, repeats included: two
     * texts with equal shapes differ only in whitespace. Objects become {@code {"object": [[key,
     * value], ...]}} and arrays {@code {"array": [...]}}, so the two cannot be confused.
     */
    static JsonNode shape(Value value) {
        if (value instanceof ObjectValue object) {
            ArrayNode members = JsonNodeFactory.instance.arrayNode();
            for (Member member : object.members()) {
                members.add(JsonNodeFactory.instance.arrayNode().add(member.key()).add(shape(member.value())));
            }
            return objectShape(members);
        }
        if (value instanceof ArrayValue array) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            array.items().forEach(item -> items.add(shape(item)));
            return arrayShape(items);
        }
        return ((Scalar) value).node();
    }

    /** {@link #shape} of a Jackson tree (which holds no repeated keys). */
    static JsonNode shape(JsonNode node) {
        if (node.isObject()) {
            ArrayNode members = JsonNodeFactory.instance.arrayNode();
            node.fields().forEachRemaining(f -> members.add(JsonNodeFactory.instance.arrayNode().add(f.getKey())
                    .add(shape(f.getValue()))));
            return objectShape(members);
        }
        if (node.isArray()) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> items.add(shape(item)));
            return arrayShape(items);
        }
        return node;
    }

    static ObjectNode objectShape(ArrayNode members) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("object", members);
        return out;
    }

    static ObjectNode arrayShape(ArrayNode items) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("array", items);
        return out;
    }

    /** Jackson's reason, plus what it means when the culprit is a space character JSON does not allow. */
    private static String explain(String text, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        if (at != null && at.getCharOffset() >= 0 && at.getCharOffset() < text.length()) {
            char culprit = text.charAt((int) at.getCharOffset());
            if (culprit != ' ' && culprit != '\t' && culprit != '\n' && culprit != '\r'
                    && (Character.isWhitespace(culprit) || Character.isSpaceChar(culprit) || culprit == '\uFEFF')) {
                return String.format("character U+%04X (%s)%s is not JSON whitespace: JSON allows only space, tab, "
                        + "CR and LF between values, and Go's encoding/json (which the CNI plugins use) refuses the "
                        + "file too", (int) culprit, Character.getName(culprit), where);
            }
        }
        return e.getOriginalMessage() + where;
    }
}
