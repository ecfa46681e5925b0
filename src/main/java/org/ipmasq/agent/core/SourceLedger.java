package org.ipmasq.agent.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.config.ConfigParser;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.config.ParsedSource;
import org.ipmasq.agent.config.SourceConfig;
import org.jboss.logging.Logger;

/**
 * Reads every source on its own and remembers each one's last good version, so that a rejected
 * source keeps contributing what it said before while the others go on changing. A source that
 * is absent (or no longer listed) contributes nothing and its memory is dropped: when it comes
 * back, it is judged afresh. Not thread-safe: the sync engine calls it from one pass at a time.
 */
final class SourceLedger {

    private static final Logger LOG = Logger.getLogger(SourceLedger.class);

    /**
     * What one pass found.
     *
     * @param statuses one per source, in order
     * @param inEffect the versions to merge, in source order (a rejected source's last good one)
     * @param complete false when a source has a document but no version was ever good: merging
     *     without it would drop what it said (before a restart, say) from the node
     */
    record Reading(List<SourceState> statuses, List<SourceConfig> inEffect, boolean complete) {

        /** The rejections as one line: the bare error for a single source, else each one by name. */
        Optional<String> error() {
            List<SourceState> rejected = statuses.stream().filter(SourceState::rejected).toList();
            if (rejected.isEmpty()) {
                return Optional.empty();
            }
            if (statuses.size() == 1) {
                return rejected.get(0).error();
            }
            return Optional.of(rejected.stream().map(s -> "source " + s.name() + ": " + s.error().orElseThrow())
                    .collect(Collectors.joining("; ")));
        }
    }

    private final ParseContext context;
    /**
     * Each source's last good version, with the text it was parsed from. A pass that finds the
     * same text again (the idle case, every resyncInterval) reuses the version instead of parsing
     * it: with 10,000 CIDRs a parse is tens of milliseconds of CPU, and even one CIDR was a third
     * of an idle pass.
     */
    private final Map<String, Good> lastGood = new HashMap<>();

    private record Good(String text, SourceConfig config) {
    }

    private final Set<String> warnedUnknownKeys = new HashSet<>();

    SourceLedger(ParseContext context) {
        this.context = context;
    }

    Reading read(List<ConfigSource> sources) {
        List<SourceState> statuses = new ArrayList<>(sources.size());
        List<SourceConfig> inEffect = new ArrayList<>(sources.size());
        boolean complete = true;
        Set<String> listed = new HashSet<>();
        for (ConfigSource source : sources) {
            String name = source.name();
            listed.add(name);
            Optional<String> text;
            Optional<ConfigException> failure = Optional.empty();
            SourceConfig accepted = null;
            try {
                text = source.fetch();
                if (text.isPresent()) {
                    Good known = lastGood.get(name);
                    accepted = known != null && known.text().equals(text.get()) ? known.config()
                            : parse(name, text.get(), sources.size() > 1);
                }
            } catch (ConfigException e) {
                text = Optional.empty();
                failure = Optional.of(e);
            }
            boolean present = text.isPresent() || failure.isPresent();
            if (!present) {
                lastGood.remove(name);
            } else if (accepted != null) {
                lastGood.put(name, new Good(text.orElseThrow(), accepted));
            }
            SourceConfig effective = present && lastGood.containsKey(name) ? lastGood.get(name).config() : null;
            if (effective != null) {
                inEffect.add(effective);
            } else if (present) {
                complete = false;
            }
            statuses.add(new SourceState(name, source.status(), present,
                    Optional.ofNullable(effective).map(SourceConfig::hash),
                    failure.map(ConfigException::getMessage), failure.map(ConfigException::nodeSpecific).orElse(false)));
        }
        lastGood.keySet().retainAll(listed);
        return new Reading(List.copyOf(statuses), List.copyOf(inEffect), complete);
    }

    private SourceConfig parse(String name, String text, boolean several) throws ConfigException {
        ParsedSource parsed = ConfigParser.parseSource(text, context);
        for (String key : parsed.unknownKeys()) {
            if (warnedUnknownKeys.add(name + "\n" + key)) {
                LOG.warnf("config key \"%s\"%s is not known to this agent version; ignoring it", key,
                        several ? " (source " + name + ")" : "");
            }
        }
        return parsed.config();
    }
}
