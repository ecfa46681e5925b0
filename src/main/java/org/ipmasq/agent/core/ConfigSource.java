package org.ipmasq.agent.core;

import java.util.Optional;
import org.ipmasq.agent.config.ConfigException;

/** Where one config document comes from (a mounted file, a ConfigMap through the API). */
public interface ConfigSource {

    /** The document's text, or empty when there is no document at all (it contributes nothing). */
    Optional<String> fetch() throws ConfigException;

    /** Which source this is and how fresh, as of now. */
    ConfigSourceStatus status();

    /** For logs, e.g. {@code file:/etc/config/ip-masq-agent}. */
    default String describe() {
        return status().description();
    }

    /**
     * A short name, unique among the sources of one agent and fixed by its configuration (the
     * ConfigMap's name, the file's name): the label of per-source health data and metrics.
     */
    default String name() {
        return status().location();
    }
}
