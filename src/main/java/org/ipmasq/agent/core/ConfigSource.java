package org.ipmasq.agent.core;

import java.util.Optional;
import org.ipmasq.agent.config.ConfigException;

/** Where one config document comes from (a mounted file, a ConfigMap through the API). */
public interface ConfigSource {

    /** The document's text, or empty when there is no document at all (it contributes nothing). */
    Optional<String> fetch() throws ConfigException;

    /** For health data and logs, e.g. {@code file:/etc/config/ip-masq-agent}. */
    String describe();

    /**
     * A short name, unique among the sources of one agent and fixed by its configuration (the
     * ConfigMap's name, the file's name): the label of per-source health data and metrics.
     */
    default String name() {
        return describe();
    }
}
