package org.ipmasq.agent.core;

import java.util.List;

/**
 * What one sync did to the node. {@code changes} is empty when the node already matched and
 * nothing was written; otherwise each entry says what changed in words an operator reads.
 */
public record SyncReport(List<String> changes) {

    public static final SyncReport UNCHANGED = new SyncReport(List.of());

    public SyncReport {
        changes = List.copyOf(changes);
    }

    public boolean wrote() {
        return !changes.isEmpty();
    }
}
