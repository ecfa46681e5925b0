package org.ipmasq.agent.core;

/** A backend could not read or write the node's state; the message is one line for operators. */
public class BackendException extends Exception {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
