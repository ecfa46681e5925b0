package org.ipmasq.agent.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one sync did to the node. {@code changes} is empty when the node already matched and
 * nothing was written. {@code tallies} carries backend counts worth reporting even when
 * nothing changed (e.g. HNS endpoints checked on Windows).
 */
public record SyncReport(List<Change> changes, Map<Tally, Long> tallies) {

    public static final SyncReport UNCHANGED = new SyncReport(List.of(), Map.of());

    public SyncReport {
        changes = List.copyOf(changes);
        tallies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tallies));
    }

    public SyncReport(List<Change> changes) {
        this(changes, Map.of());
    }

    public boolean wrote() {
        return !changes.isEmpty();
    }

    /** The tallies keyed as health data shows them ({@link Tally#key()}), in the backend's order. */
    public Map<String, Long> countsByKey() {
        Map<String, Long> byKey = new LinkedHashMap<>();
        tallies.forEach((tally, value) -> byKey.put(tally.key(), value));
        return byKey;
    }
}
