package org.ipmasq.agent.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ipmasq.agent.config.ConfigException;

/**
 * The ordered sources the config in effect is merged from, the primary first. The list is asked
 * for on every pass, because some sets change (a config directory gains or loses files).
 */
public interface ConfigSources {

    /**
     * The sources as they are now, in merge order.
     *
     * @throws ConfigException when the set itself cannot be known (a directory that cannot be
     *     listed, the API not answered yet); the config in effect then stays as it is
     */
    List<ConfigSource> list() throws ConfigException;

    /** Where the set comes from and how fresh, as of now. */
    ConfigSourceStatus status();

    /** For logs: the single source's description, or all of them. */
    default String describe() {
        return status().description();
    }

    /** A fixed list (one or more ConfigMaps, a single file, tests). */
    static ConfigSources of(List<? extends ConfigSource> sources) {
        List<ConfigSource> fixed = List.copyOf(sources);
        return new ConfigSources() {
            @Override
            public List<ConfigSource> list() {
                return fixed;
            }

            @Override
            public ConfigSourceStatus status() {
                return combined(fixed.stream().map(ConfigSource::status).toList());
            }
        };
    }

    static ConfigSources of(ConfigSource source) {
        return of(List.of(source));
    }

    /**
     * One status for several sources: their common kind (else other), their locations joined,
     * stale since the first of them went stale. A single status is returned as it is.
     */
    static ConfigSourceStatus combined(List<ConfigSourceStatus> statuses) {
        if (statuses.size() == 1) {
            return statuses.get(0);
        }
        ConfigSourceStatus.Kind kind = statuses.stream().map(ConfigSourceStatus::kind).distinct().count() == 1
                ? statuses.get(0).kind() : ConfigSourceStatus.Kind.OTHER;
        String location = statuses.stream()
                .map(s -> kind == ConfigSourceStatus.Kind.OTHER ? s.description() : s.location())
                .collect(Collectors.joining(", "));
        Optional<Instant> staleSince = statuses.stream().flatMap(s -> s.staleSince().stream()).min(Instant::compareTo);
        boolean notReached = statuses.stream().anyMatch(ConfigSourceStatus::apiNotReachedYet);
        return new ConfigSourceStatus(kind, location, kind == ConfigSourceStatus.Kind.OTHER ? Optional.empty() : staleSince,
                notReached);
    }
}
