package org.ipmasq.agent.core;

import java.util.List;
import java.util.Map;

/**
 * What one sync did to the node. {@code changes} is empty when the node already matched and
 * nothing was written. {@code counts} carries backend tallies worth reporting even when
 * nothing changed (e.g. {@code endpoints_checked} on Windows).
 */
public record SyncReport(List<Change> changes, Map<String, Long> counts) {

    public static final SyncReport UNCHANGED = new SyncReport(List.of(), Map.of());

    public SyncReport {
        changes = List.copyOf(changes);
        counts = Map.copyOf(counts);
    }

    public SyncReport(List<Change> changes) {
        this(changes, Map.of());
    }

    public boolean wrote() {
        return !changes.isEmpty();
    }
}
