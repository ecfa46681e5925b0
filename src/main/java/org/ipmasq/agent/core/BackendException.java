package org.ipmasq.agent.core;

/**
 * A backend could not read or write the node's state; the message is one line for operators.
 * A pass that got part of the way (some Windows endpoints updated, others failed) carries what
 * it did in {@link #partial()}, so metrics still count it.
 */
public class BackendException extends Exception {

    private final transient SyncReport partial;

    public BackendException(String message) {
        this(message, SyncReport.UNCHANGED);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
        this.partial = SyncReport.UNCHANGED;
    }

    public BackendException(String message, SyncReport partial) {
        super(message);
        this.partial = partial;
    }

    /** What the failed pass did change or count before it failed; empty when nothing. */
    public SyncReport partial() {
        return partial;
    }
}
