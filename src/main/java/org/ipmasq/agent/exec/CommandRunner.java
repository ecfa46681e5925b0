package org.ipmasq.agent.exec;

import java.io.IOException;
import java.util.List;

/**
 * The one edge through which backends touch the world on Linux: run a program, feed it
 * stdin, collect its output. Tests replace it with fakes that model state (a nat table that
 * applies restore input and answers save) instead of recording calls.
 */
public interface CommandRunner {

    /**
     * Runs {@code argv}, writing {@code stdin} (may be empty) to it.
     *
     * @throws IOException when the program cannot be started at all (missing binary) or does
     *     not finish in time; a program that runs and fails is a result, not an exception
     */
    CommandResult run(List<String> argv, String stdin) throws IOException;

    /** Whether a program of this name can be found, so callers can choose between tools. */
    boolean exists(String program);

    /**
     * The text of a file where the programs run (a /proc file of their network namespace, say);
     * empty when it is missing or unreadable. By default through {@code cat}, so a runner that
     * runs its programs somewhere else (a test's network namespace) reads there too; the real
     * runner, whose programs run where the agent does, reads it itself and saves a child process.
     */
    default String readIfPresent(String path) {
        try {
            CommandResult result = run(List.of("cat", path), "");
            return result.succeeded() ? result.stdout() : "";
        } catch (IOException unreadable) {
            return "";
        }
    }
}
