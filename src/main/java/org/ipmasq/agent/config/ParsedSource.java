package org.ipmasq.agent.config;

import java.util.List;
import java.util.Objects;

/**
 * One parsed source: its validated content, plus the keys the agent does not know (to warn about
 * once, as with {@link ParsedConfig}).
 */
public record ParsedSource(SourceConfig config, List<String> unknownKeys) {

    public ParsedSource {
        Objects.requireNonNull(config, "config");
        unknownKeys = List.copyOf(unknownKeys);
    }
}
