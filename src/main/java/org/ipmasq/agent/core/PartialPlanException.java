package org.ipmasq.agent.core;

/**
 * A dry run that could preview only part of what a sync would do: {@link #plan()} holds what it
 * could preview (printed all the same, so one unreadable item does not hide the others), the
 * message says what it could not. The run still ends as failed.
 */
public class PartialPlanException extends BackendException {

    private final String plan;

    public PartialPlanException(String message, String plan) {
        super(message);
        this.plan = plan;
    }

    /** The preview of everything that could be read, in {@link MasqBackend#plan}'s format. */
    public String plan() {
        return plan;
    }
}
