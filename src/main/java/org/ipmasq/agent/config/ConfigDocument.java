package org.ipmasq.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Turns config text into a Jackson tree, or into a one-line error with the position of the problem.
 *
 * <p>YAML is read with SnakeYAML (YAML 1.1), which is not quite a JSON superset: it rejects tabs
 * between tokens and the {@code \/} escape, both common in JSON. So a document that starts like
 * JSON ({@code {} or {@code [}) is read as JSON first and only falls back to YAML (flow style such
 * as {@code {a: 1}}) when that fails.
 *
 * <p>Duplicate keys are an error rather than "last one wins": a ConfigMap with a key written twice
 * is a mistake, and silently dropping one of the values would hide it. Likewise only one document is
 * allowed.
 */
final class ConfigDocument {

    /** Errors are cut to this length; SnakeYAML and Jackson can be verbose. */
    private static final int MAX_REASON = 200;

    /** Jackson's wording names its own feature flag, which means nothing to the user. */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)' for ");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private ConfigDocument() {
    }

    /**
     * Reads the single document in {@code text}.
     *
     * @return the root node, or null when the text holds no value (empty, only comments, or null)
     */
    static JsonNode read(String text) throws ConfigException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // byte order mark left by some Windows editors
        }
        if (looksLikeJson(text)) {
            try {
                return readSingle(JSON, text);
            } catch (JsonProcessingException jsonError) {
                try {
                    return readSingle(YAML, text);
                } catch (IOException | RuntimeException notYamlEither) {
                    // It started like JSON, so the JSON error is the one most likely to help.
                    throw syntaxError(jsonError, text);
                }
            } catch (IOException | RuntimeException e) {
                throw unexpected(e);
            }
        }
        try {
            return readSingle(YAML, text);
        } catch (JsonProcessingException e) {
            throw syntaxError(e, text);
        } catch (IOException | RuntimeException e) {
            // The parsers are fed untrusted text; anything they throw means the text is bad.
            throw unexpected(e);
        }
    }

    private static JsonNode readSingle(ObjectMapper mapper, String text) throws IOException {
        try (JsonParser parser = mapper.createParser(text)) {
            JsonNode root = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "more than one document; put all keys into one mapping");
            }
            return root == null || root.isMissingNode() || root.isNull() ? null : root;
        }
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    private static ConfigException syntaxError(JsonProcessingException e, String text) {
        int line;
        int column;
        String reason;
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            // Jackson's own location for SnakeYAML errors is the last good token; SnakeYAML's
            // problem mark points at the offending character.
            Mark mark = yaml.getProblemMark();
            line = mark.getLine() + 1;
            column = mark.getColumn() + 1;
            reason = yaml.getContext() == null ? yaml.getProblem() : yaml.getContext() + ": " + yaml.getProblem();
        } else if (e.getCause() instanceof ReaderException unreadable) {
            int[] position = lineAndColumn(text, unreadable.getPosition());
            line = position[0];
            column = position[1];
            reason = String.format("character U+%04X is not allowed in YAML", unreadable.getCodePoint());
        } else {
            JsonLocation location = e.getLocation();
            line = location == null ? -1 : location.getLineNr();
            column = location == null ? -1 : location.getColumnNr();
            reason = e.getOriginalMessage();
            Matcher duplicate = DUPLICATE_KEY.matcher(reason == null ? "" : reason);
            if (duplicate.lookingAt()) {
                reason = "key " + Quote.of(duplicate.group(1)) + " appears more than once";
            }
        }
        String where = line > 0 && column > 0 ? " at line " + line + ", column " + column : "";
        return new ConfigException("config is not valid YAML or JSON" + where + ": " + oneLine(reason), e);
    }

    private static ConfigException unexpected(Exception e) {
        return new ConfigException("config is not valid YAML or JSON: " + oneLine(String.valueOf(e.getMessage())), e);
    }

    /** 1-based line and column of a code point index, as SnakeYAML counts positions in code points. */
    private static int[] lineAndColumn(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < codePointIndex; i += Character.charCount(text.codePointAt(i)), seen++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    /** Control characters and line breaks become single spaces; long text is cut. */
    private static String oneLine(String message) {
        String reason = message == null ? "" : message.replaceAll("[\\p{Cntrl}\\s\\u2028\\u2029]+", " ").strip();
        if (reason.isEmpty()) {
            return "syntax error";
        }
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason;
    }
}
