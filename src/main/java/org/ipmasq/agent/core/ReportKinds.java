package org.ipmasq.agent.core;

import java.util.Set;

/**
 * Every change kind a backend's sync can report and every tally it counts, declared up front so
 * that metrics export each series at 0 from the start: Prometheus' {@code increase()} cannot see
 * a counter's jump from absent to 1, so a series that appears only with its first event hides
 * that event from alerts and shows nothing where a dashboard should show 0.
 *
 * @param syncChangeKinds the {@link Change#kind()} values a sync (not a cleanup) can produce
 * @param tallies the {@link Tally} values a sync can count
 */
public record ReportKinds(Set<String> syncChangeKinds, Set<Tally> tallies) {

    public ReportKinds {
        syncChangeKinds = Set.copyOf(syncChangeKinds);
        tallies = Set.copyOf(tallies);
    }
}
