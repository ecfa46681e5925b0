package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Edits a JSON text in place: only the characters of the values being changed are replaced,
 * so everything else (key order, whitespace, line endings, number spellings) stays byte for
 * byte. A re-serialised tree would reformat a hand-written CNI conf and make every rewrite a
 * noisy diff. New lists follow the layout of the list they replace: one per line with the same
 * indentation if it was multi-line, inline otherwise.
 */
final class JsonTextSplicer {

    /** A change at the value that {@code target} points to. */
    sealed interface Edit {
        JsonPointer target();
    }

    /** Replace the value at {@code target} (normally a list) with a list of strings. */
    record ReplaceList(JsonPointer target, List<String> items) implements Edit {
    }

    /** Add {@code key: value} as the last member of the object at {@code target}. */
    record AddMember(JsonPointer target, String key, JsonNode value) implements Edit {
    }

    private record Range(int start, int end) {
    }

    private record Splice(int start, int end, String text) {
    }

    private record Open(String pointer, int start) {
    }

    private JsonTextSplicer() {
    }

    static String apply(String text, List<Edit> edits) throws IOException {
        Map<String, Range> ranges = ranges(text);
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        List<Splice> splices = new ArrayList<>();
        for (Edit edit : edits) {
            Range range = ranges.get(edit.target().toString());
            if (range == null) {
                throw new IllegalStateException("no value at " + edit.target());
            }
            if (edit instanceof ReplaceList replace) {
                splices.add(new Splice(range.start, range.end,
                        renderList(replace.items(), text.substring(range.start, range.end), newline)));
            } else if (edit instanceof AddMember add) {
                splices.add(insertion(text, range, add, newline));
            }
        }
        // From the end backwards, so earlier offsets stay valid.
        splices.sort(Comparator.comparingInt(Splice::start).reversed());
        StringBuilder out = new StringBuilder(text);
        for (Splice splice : splices) {
            out.replace(splice.start, splice.end, splice.text);
        }
        String result = out.toString();
        verify(text, result, edits);
        return result;
    }

    /**
     * The spliced text must parse to exactly the original tree with the edits applied; a file
     * is never written on the strength of offset arithmetic alone.
     */
    private static void verify(String before, String after, List<Edit> edits) throws IOException {
        JsonNode expected = Json.MAPPER.readTree(before);
        for (Edit edit : edits) {
            applyToTree(expected, edit);
        }
        JsonNode actual = Json.MAPPER.readTree(after);
        if (!expected.equals(actual)) {
            throw new IllegalStateException("splicing the edits " + edits + " did not give the expected document");
        }
    }

    static void applyToTree(JsonNode root, Edit edit) {
        if (edit instanceof ReplaceList replace) {
            JsonNode parent = root.at(replace.target().head());
            String last = replace.target().last().getMatchingProperty();
            if (parent instanceof ObjectNode object) {
                object.set(last, Json.strings(replace.items()));
            } else if (parent instanceof ArrayNode array) {
                array.set(replace.target().last().getMatchingIndex(), Json.strings(replace.items()));
            } else {
                throw new IllegalStateException("no container at " + replace.target().head());
            }
        } else if (edit instanceof AddMember add) {
            if (!(root.at(add.target()) instanceof ObjectNode object)) {
                throw new IllegalStateException("no object at " + add.target());
            }
            object.set(add.key(), add.value());
        }
    }

    /** Character range of every value in the document, by JSON pointer. */
    private static Map<String, Range> ranges(String text) throws IOException {
        Map<String, Range> ranges = new HashMap<>();
        Deque<Open> open = new ArrayDeque<>();
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int at = (int) parser.currentTokenLocation().getCharOffset();
                switch (token) {
                    case START_OBJECT, START_ARRAY ->
                            open.push(new Open(parser.getParsingContext().pathAsPointer().toString(), at));
                    case END_OBJECT, END_ARRAY -> {
                        Open start = open.pop();
                        ranges.put(start.pointer(), new Range(start.start(), at + 1));
                    }
                    case FIELD_NAME -> {
                    }
                    default -> {
                        parser.finishToken(); // strings are read lazily; their end is known only now
                        ranges.put(parser.getParsingContext().pathAsPointer().toString(),
                                new Range(at, (int) parser.currentLocation().getCharOffset()));
                    }
                }
            }
        }
        return ranges;
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

    private static Splice insertion(String text, Range object, AddMember add, String newline) {
        String member = Json.quote(add.key()) + ": " + inline(add.value());
        int last = object.end - 2; // before the closing brace
        while (last > object.start && Character.isWhitespace(text.charAt(last))) {
            last--;
        }
        if (text.charAt(last) == '{') {
            return new Splice(last + 1, last + 1, member);
        }
        boolean multiline = text.substring(object.start, object.end).indexOf('\n') >= 0;
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
