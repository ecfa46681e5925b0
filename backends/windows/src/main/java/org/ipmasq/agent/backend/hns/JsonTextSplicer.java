package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Edits a JSON text in place: only the characters of the values being changed are replaced,
 * so everything else (key order, whitespace, line endings, number spellings, a key repeated in
 * one object) stays byte for byte. A re-serialised tree would reformat a hand-written CNI conf
 * and make every rewrite a noisy diff. New lists follow the layout of the list they replace: one
 * per line with the same indentation if it was multi-line, inline otherwise. Edits name the
 * value they change by its place in the text ({@link JsonDocument}), so with a repeated key the
 * occurrence the plugin reads is the one changed.
 */
final class JsonTextSplicer {

    /** A change at one value of the document. */
    sealed interface Edit {
        JsonDocument.Value target();
    }

    /** Replace the value {@code target} (normally a list) with a list of strings. */
    record ReplaceList(JsonDocument.Value target, List<String> items) implements Edit {
    }

    /** Add {@code key: value} as the last member of the object {@code target}. */
    record AddMember(JsonDocument.ObjectValue target, String key, JsonNode value) implements Edit {
    }

    private record Splice(int start, int end, String text) {
    }

    private JsonTextSplicer() {
    }

    /**
     * @param root {@code text} as parsed; the edits' targets are values of it
     * @throws IllegalStateException when the spliced text does not read as the original with the edits applied
     */
    static String apply(String text, JsonDocument.Value root, List<Edit> edits) throws JsonDocumentException {
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        List<Splice> splices = new ArrayList<>();
        for (Edit edit : edits) {
            JsonDocument.Value target = edit.target();
            if (edit instanceof ReplaceList replace) {
                splices.add(new Splice(target.start(), target.end(),
                        renderList(replace.items(), text.substring(target.start(), target.end()), newline)));
            } else if (edit instanceof AddMember add) {
                splices.add(insertion(text, add, newline));
            }
        }
        // From the end backwards, so earlier offsets stay valid.
        splices.sort(Comparator.comparingInt(Splice::start).reversed());
        StringBuilder out = new StringBuilder(text);
        for (Splice splice : splices) {
            out.replace(splice.start, splice.end, splice.text);
        }
        String result = out.toString();
        verify(root, result, edits);
        return result;
    }

    /**
     * The spliced text must read as exactly the original document with the edits applied, every
     * member in its place, repeats included; a file is never written on the strength of offset
     * arithmetic alone.
     */
    private static void verify(JsonDocument.Value before, String after, List<Edit> edits) throws JsonDocumentException {
        Map<JsonDocument.Value, List<Edit>> byTarget = new IdentityHashMap<>();
        edits.forEach(edit -> byTarget.computeIfAbsent(edit.target(), t -> new ArrayList<>()).add(edit));
        JsonNode expected = expectedShape(before, byTarget);
        JsonNode actual = JsonDocument.shape(JsonDocument.parse(after));
        if (!expected.equals(actual)) {
            throw new IllegalStateException("splicing the edits " + edits + " did not give the expected document");
        }
    }

    private static JsonNode expectedShape(JsonDocument.Value value, Map<JsonDocument.Value, List<Edit>> byTarget) {
        List<Edit> here = byTarget.getOrDefault(value, List.of());
        for (Edit edit : here) {
            if (edit instanceof ReplaceList replace) {
                return JsonDocument.shape(Json.strings(replace.items()));
            }
        }
        if (value instanceof JsonDocument.ObjectValue object) {
            ArrayNode members = JsonNodeFactory.instance.arrayNode();
            for (JsonDocument.Member member : object.members()) {
                members.add(JsonNodeFactory.instance.arrayNode().add(member.key())
                        .add(expectedShape(member.value(), byTarget)));
            }
            for (Edit edit : here) {
                if (edit instanceof AddMember add) {
                    members.add(JsonNodeFactory.instance.arrayNode().add(add.key()).add(JsonDocument.shape(add.value())));
                }
            }
            return JsonDocument.objectShape(members);
        }
        if (value instanceof JsonDocument.ArrayValue array) {
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            array.items().forEach(item -> items.add(expectedShape(item, byTarget)));
            return JsonDocument.arrayShape(items);
        }
        return JsonDocument.shape(value);
    }

    static String renderList(List<String> items, String original, String newline) {
        if (items.isEmpty()) {
            return "[]";
        }
        List<String> quoted = items.stream().map(Json::quote).toList();
        if (original.startsWith("[") && original.indexOf('\n') >= 0) {
            int first = skipWhitespace(original, 1);
            String closeIndent = indentBefore(original, original.length() - 1);
            String itemIndent;
            if (original.charAt(first) == ']') {
                itemIndent = closeIndent + "  ";
            } else if (original.lastIndexOf('\n', first) >= 0) {
                itemIndent = indentBefore(original, first);
            } else {
                itemIndent = null; // first item on the bracket's line: keep it inline
            }
            if (itemIndent != null) {
                return "[" + newline + itemIndent + String.join("," + newline + itemIndent, quoted) + newline
                        + closeIndent + "]";
            }
        }
        String separator = original.contains(",") && !original.contains(", ") ? "," : ", ";
        return "[" + String.join(separator, quoted) + "]";
    }

    private static Splice insertion(String text, AddMember add, String newline) {
        JsonDocument.ObjectValue object = add.target();
        String member = Json.quote(add.key()) + ": " + inline(add.value());
        int last = object.end() - 2; // before the closing brace
        while (last > object.start() && Character.isWhitespace(text.charAt(last))) {
            last--;
        }
        if (text.charAt(last) == '{') {
            return new Splice(last + 1, last + 1, member);
        }
        boolean multiline = text.substring(object.start(), object.end()).indexOf('\n') >= 0;
        String lead = multiline ? newline + lineIndent(text, last) : " ";
        return new Splice(last + 1, last + 1, "," + lead + member);
    }

    /** The whitespace between the line start and {@code index} if only whitespace precedes it on its line, else "". */
    private static String indentBefore(String text, int index) {
        int lineStart = text.lastIndexOf('\n', index - 1) + 1;
        String before = text.substring(lineStart, index);
        return before.isBlank() ? before : "";
    }

    /** The leading whitespace of the line holding {@code index}. */
    private static String lineIndent(String text, int index) {
        int lineStart = text.lastIndexOf('\n', index) + 1;
        int end = lineStart;
        while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
            end++;
        }
        return text.substring(lineStart, end);
    }

    private static int skipWhitespace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** One-line JSON with a space after colons and commas, as people write small values. */
    private static String inline(JsonNode value) {
        if (value.isObject()) {
            List<String> members = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                members.add(Json.quote(field.getKey()) + ": " + inline(field.getValue()));
            }
            return "{" + String.join(", ", members) + "}";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(inline(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return Json.compact(value);
    }
}
