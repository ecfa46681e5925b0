package org.ipmasq.agent.backend.iptables;

import java.util.ArrayList;
import java.util.List;

/** Splitting and quoting of rule text the way iptables-save writes it and iptables-restore reads it. */
final class RuleText {

    private RuleText() {
    }

    /** Words of a saved rule; double quotes group words, a backslash escapes the next character. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inQuotes = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == '"') {
                inQuotes = !inQuotes;
                inWord = true;
            } else if (Character.isWhitespace(c) && !inQuotes) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** A comment argument as iptables-save prints it: always quoted, quotes and backslashes escaped. */
    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The value after {@code option} in a rule's words, or null. */
    static String valueOf(List<String> words, String option) {
        int i = words.indexOf(option);
        return i >= 0 && i + 1 < words.size() ? words.get(i + 1) : null;
    }
}
