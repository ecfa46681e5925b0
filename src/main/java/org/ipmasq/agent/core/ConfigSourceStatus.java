package org.ipmasq.agent.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the document in effect comes from, as typed facts: metrics and health read these, and
 * {@link #description()} only renders them for people, so rewording it changes no metric.
 *
 * @param kind which kind of source
 * @param location the file's path, the ConfigMap's {@code namespace/name#key}, or for
 *        {@link Kind#OTHER} the whole description
 * @param staleSince when the API stopped answering, while the last ConfigMap seen is used
 * @param apiNotReachedYet the file stands in until the API answers for the first time
 */
public record ConfigSourceStatus(Kind kind, String location, Optional<Instant> staleSince, boolean apiNotReachedYet) {

    /** Kinds of source, with the word metrics label them by. */
    public enum Kind {
        API("api"), FILE("file"), OTHER("other");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static ConfigSourceStatus file(String path) {
        return new ConfigSourceStatus(Kind.FILE, path, Optional.empty(), false);
    }

    public static ConfigSourceStatus api(String configMap, Optional<Instant> staleSince) {
        return new ConfigSourceStatus(Kind.API, configMap, staleSince, false);
    }

    /** A source of another kind (tests, embeddings), shown as {@code description}. */
    public static ConfigSourceStatus other(String description) {
        return new ConfigSourceStatus(Kind.OTHER, description, Optional.empty(), false);
    }

    /** This source, standing in until the API answers. */
    public ConfigSourceStatus untilApiAnswers() {
        return new ConfigSourceStatus(kind, location, staleSince, true);
    }

    public boolean stale() {
        return staleSince.isPresent();
    }

    /** For health data and logs, e.g. {@code api:kube-system/ip-masq-agent#config (stale since ...)}. */
    public String description() {
        StringBuilder text = new StringBuilder(kind == Kind.OTHER ? location : kind.label() + ":" + location);
        staleSince.ifPresent(since -> text.append(" (stale since ").append(since).append(')'));
        if (apiNotReachedYet) {
            text.append(" (API not reached yet)");
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return description();
    }
}
