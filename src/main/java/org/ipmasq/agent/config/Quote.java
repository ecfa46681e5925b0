package org.ipmasq.agent.config;

/**
 * Quotes user-supplied text for error messages. Errors must stay on one line and stay short even
 * when the input is binary garbage or a megabyte of text, so control characters are escaped and
 * long values are cut.
 */
final class Quote {

    /** Longer values are cut: the start is enough to recognise what was meant. */
    static final int MAX_SHOWN = 100;

    private Quote() {
    }

    static String of(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 2).append('"');
        int shown = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < shown && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (isInvisible(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (text.length() > MAX_SHOWN) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    private static boolean isInvisible(char c) {
        return Character.isISOControl(c)
                || Character.isSurrogate(c) // unpaired; paired ones are handled by the caller
                || Character.getType(c) == Character.FORMAT
                || c == '\u2028' || c == '\u2029';
    }
}
