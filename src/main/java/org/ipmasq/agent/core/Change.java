package org.ipmasq.agent.core;

/**
 * One thing a sync changed on the node. {@code kind} is a short, stable, low-cardinality word
 * for metrics (e.g. {@code chain_created}, {@code jump_restored}, {@code endpoint_updated});
 * {@code description} is the sentence for the log.
 */
public record Change(String kind, String description) {

    @Override
    public String toString() {
        return description;
    }
}
