package org.ipmasq.agent.core;

import java.time.Duration;
import java.util.Optional;

/**
 * The result of one pass. {@code applied} means the node now matches the config in effect
 * (which is the last good one when the current document was rejected).
 */
public record SyncOutcome(boolean applied, SyncReport report, Duration resyncInterval,
        Optional<String> configError, Optional<String> syncError) {

    /** Whether a one-shot run should exit 0: rules in line and the document accepted. */
    public boolean clean() {
        return applied && configError.isEmpty();
    }

    /** The one line a one-shot run prints when it fails. */
    public String errorLine() {
        return configError.map(e -> "config rejected: " + e)
                .or(() -> syncError.map(e -> "sync failed: " + e))
                .orElse("");
    }
}
