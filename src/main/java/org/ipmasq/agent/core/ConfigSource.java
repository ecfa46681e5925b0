package org.ipmasq.agent.core;

import java.util.Optional;
import org.ipmasq.agent.config.ConfigException;

/** Where the config document comes from (a mounted file, later the Kubernetes API). */
public interface ConfigSource {

    /** The document's text, or empty when there is no document at all (use the defaults). */
    Optional<String> fetch() throws ConfigException;

    /** For health data and logs, e.g. {@code file:/etc/config/ip-masq-agent}. */
    String describe();
}
