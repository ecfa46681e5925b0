package org.ipmasq.agent.cli;

/** A bad command line: the message is the one line printed before the agent stops. */
public class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
