package org.ipmasq.agent.core;

import java.time.Duration;
import java.util.Optional;
import org.ipmasq.agent.config.MasqConfig;

/**
 * The result of one pass. {@code applied} means the node now matches {@code config}, the config
 * in effect (the last good one when the current document was rejected). {@code driftRepaired}
 * means the pass wrote although the config was the same as at the last successful pass: someone
 * or something changed the node behind the agent's back.
 */
public record SyncOutcome(boolean applied, SyncReport report, Duration resyncInterval,
        Optional<String> configError, Optional<String> syncError,
        Optional<MasqConfig> config, boolean driftRepaired, Duration duration) {

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
