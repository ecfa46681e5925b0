package org.ipmasq.agent.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How the agent is doing, as one immutable value: health checks and metrics read it, only the
 * sync engine replaces it.
 */
public record StatusSnapshot(
        Instant startedAt,
        String backend,
        Map<String, String> backendDetails,
        ConfigSourceStatus configSource,
        Optional<String> configHash,
        Duration resyncInterval,
        Optional<Instant> lastAttempt,
        Optional<Instant> lastSuccess,
        Optional<String> configError,
        Optional<String> syncError,
        long attempts,
        long successes) {

    public StatusSnapshot {
        backendDetails = Map.copyOf(backendDetails);
    }

    public static StatusSnapshot starting(Instant now, String backend, Map<String, String> details,
            ConfigSourceStatus configSource, Duration resyncInterval) {
        return new StatusSnapshot(now, backend, details, configSource, Optional.empty(), resyncInterval,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);
    }

    /** Ready: rules were brought in line at least once since this process started. */
    public boolean ready() {
        return lastSuccess.isPresent();
    }

    /** The last error of either kind, config first since that is what an operator must fix. */
    public Optional<String> lastError() {
        return configError.or(() -> syncError);
    }
}
