package org.ipmasq.agent.core;

import java.util.List;
import org.ipmasq.agent.config.ConfigException;
import java.util.stream.Collectors;

/**
 * The ordered sources the config in effect is merged from, the primary first. The list is asked
 * for on every pass, because some sets change (a config directory gains or loses files).
 */
public interface ConfigSources {

    /**
     * The sources as they are now, in merge order.
     *
     * @throws ConfigException when the set itself cannot be known (a directory that cannot be
     *     listed); the config in effect then stays as it is
     */
    List<ConfigSource> list() throws ConfigException;

    /** For health data and logs: the single source's description, or all of them. */
    String describe();

    /** A fixed list (one or more ConfigMaps, a single file, tests). */
    static ConfigSources of(List<? extends ConfigSource> sources) {
        List<ConfigSource> fixed = List.copyOf(sources);
        return new ConfigSources() {
            @Override
            public List<ConfigSource> list() {
                return fixed;
            }

            @Override
            public String describe() {
                return fixed.stream().map(ConfigSource::describe).collect(Collectors.joining(", "));
            }
        };
    }

    static ConfigSources of(ConfigSource source) {
        return of(List.of(source));
    }
}
