package org.ipmasq.agent.core;

/**
 * One backend tally worth reporting even when nothing changed: what was counted and with which
 * outcome, e.g. HNS endpoints {@code checked}. Metrics take the kind and the outcome as they
 * are; health data shows {@link #key()}. Nothing reads them back out of a name.
 *
 * @param kind what was counted
 * @param outcome a short, stable, low-cardinality word (the metric's label value)
 */
public record Tally(Kind kind, String outcome) {

    /** What a tally counts. */
    public enum Kind {
        /** Windows: HNS endpoints, by what a pass came to with each. */
        HNS_ENDPOINTS("endpoints"),
        /** Windows: endpoint updates, by the strategy HNS accepted. */
        ENDPOINT_UPDATE_STRATEGY("strategy"),
        /** Windows: CNI conf files, by what a pass came to with each. */
        CNI_CONF_FILES("cni_files");

        private final String keyPrefix;

        Kind(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }

    public Tally {
        if (outcome.isEmpty()) {
            throw new IllegalArgumentException("a tally needs an outcome");
        }
    }

    /** The name health data shows it under, e.g. {@code endpoints_checked}. */
    public String key() {
        return kind.keyPrefix + "_" + outcome;
    }
}
