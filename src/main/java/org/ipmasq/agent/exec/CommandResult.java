package org.ipmasq.agent.exec;

import java.util.List;

/** What one external command printed and how it ended. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {

    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** One line for logs and errors: the command and the first line of its complaint. */
    public String summary() {
        String why = stderr.isBlank() ? stdout.strip() : stderr.strip();
        int newline = why.indexOf('\n');
        if (newline >= 0) {
            why = why.substring(0, newline);
        }
        return String.join(" ", argv) + " exited " + exitCode + (why.isEmpty() ? "" : ": " + why);
    }

    /**
     * {@link #summary()} followed by the lines of {@code input} (what the command read on stdin)
     * that its complaint names, e.g. {@code ...: line 5 failed; line 5: -A IP-MASQ-AGENT ...}.
     */
    public String summary(String input) {
        return summary() + FailingInputLines.quote(stderr.isBlank() ? stdout : stderr, input);
    }
}
