package org.ipmasq.agent.core;

import java.util.Optional;
import org.ipmasq.agent.config.ConfigException;

/** Where the config document comes from (a mounted file, the Kubernetes API). */
public interface ConfigSource {

    /** The document's text, or empty when there is no document at all (use the defaults). */
    Optional<String> fetch() throws ConfigException;

    /** Which source this is and how fresh, as of now. */
    ConfigSourceStatus status();

    /** For logs, e.g. {@code file:/etc/config/ip-masq-agent}. */
    default String describe() {
        return status().description();
    }
}
