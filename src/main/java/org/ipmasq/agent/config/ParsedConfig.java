package org.ipmasq.agent.config;

import java.util.List;
import java.util.Objects;

/**
 * A parsed document: the config, plus the keys the agent does not know. Unknown keys are not an
 * error (a newer config may meet an older agent), but the caller should warn about them once, since
 * they are usually typos.
 *
 * @param config the validated configuration
 * @param unknownKeys top-level keys that were ignored, in document order
 */
public record ParsedConfig(MasqConfig config, List<String> unknownKeys) {

    public ParsedConfig {
        Objects.requireNonNull(config, "config");
        unknownKeys = List.copyOf(unknownKeys);
    }
}
