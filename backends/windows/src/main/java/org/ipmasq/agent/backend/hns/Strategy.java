package org.ipmasq.agent.backend.hns;

import org.ipmasq.agent.core.Tally;

/**
 * How an endpoint's OutBoundNAT was changed. Which one works on a given HNS is not documented,
 * so every change says which it took, and a tally per strategy counts them.
 */
enum Strategy {
    /** One Update request carrying the copied policy with new exceptions. */
    UPDATE("update", "Update"),
    /** Update did not take: the old policy removed exactly as read, then the new one added. */
    REMOVE_ADD("remove_add", "Remove+Add");

    private final String metric;
    private final String label;

    Strategy(String metric, String label) {
        this.metric = metric;
        this.label = label;
    }

    Tally tally() {
        return new Tally(Tally.Kind.ENDPOINT_UPDATE_STRATEGY, metric);
    }

    String label() {
        return label;
    }
}
