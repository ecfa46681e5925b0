package org.ipmasq.agent.cli;

import java.util.Set;

/** Go's strconv.ParseBool, which the original agent's boolean flags used. */
final class GoBoolean {

    private static final Set<String> TRUE_WORDS = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> FALSE_WORDS = Set.of("0", "f", "F", "FALSE", "false", "False");

    private GoBoolean() {
    }

    /** Whether the word is one Go reads as a boolean, so a switch may take it as its next word. */
    static boolean isWord(String word) {
        return TRUE_WORDS.contains(word) || FALSE_WORDS.contains(word);
    }

    static boolean parse(String flag, String value) throws UsageException {
        if (TRUE_WORDS.contains(value)) {
            return true;
        }
        if (FALSE_WORDS.contains(value)) {
            return false;
        }
        throw new UsageException("--" + flag + ": \"" + value + "\" is not a boolean (true or false)");
    }
}
