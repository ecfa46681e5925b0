package org.ipmasq.agent.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.config.ConfigParser;
import org.ipmasq.agent.config.GoDuration;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.config.ParsedConfig;
import org.jboss.logging.Logger;

/**
 * One sync pass: read the document, validate it, and have the backend bring the node in line.
 * A rejected document never reaches the backend; the last good one keeps healing the node.
 * Not thread-safe on purpose: the sync loop guarantees passes never overlap.
 */
public final class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    private final ConfigSource source;
    private final ParseContext parseContext;
    private final MasqBackend backend;
    private final AgentStatus status;
    private final Clock clock;

    private final Set<String> warnedUnknownKeys = new HashSet<>();
    private MasqConfig lastGood;
    /** The config of the last pass that brought the node in line, to tell drift from config changes. */
    private MasqConfig lastApplied;
    private String lastLoggedConfigError;
    private String lastLoggedSyncError;

    public SyncEngine(ConfigSource source, ParseContext parseContext, MasqBackend backend,
            AgentStatus status, Clock clock) {
        this.source = source;
        this.parseContext = parseContext;
        this.backend = backend;
        this.status = status;
        this.clock = clock;
    }

    public SyncOutcome runOnce() {
        Instant started = clock.instant();
        Optional<String> configError = Optional.empty();
        try {
            adopt(load());
        } catch (ConfigException e) {
            configError = Optional.of(e.getMessage());
        }
        logConfigError(configError);
        if (lastGood == null) {
            // Nothing good was ever read: leave the node exactly as it is rather than guess.
            return record(started, false, SyncReport.UNCHANGED, MasqConfig.defaults(parseContext).resyncInterval(),
                    configError, Optional.empty(), false);
        }
        MasqConfig config = lastGood;
        try {
            SyncReport report = backend.sync(MasqPolicy.from(config, parseContext.ipv6Enabled()));
            report.changes().forEach(change -> LOG.infof("%s: %s", backend.name(), change));
            logSyncError(Optional.empty());
            boolean drift = report.wrote() && config.equals(lastApplied);
            lastApplied = config;
            return record(started, true, report, config.resyncInterval(), configError, Optional.empty(), drift);
        } catch (BackendException e) {
            logSyncError(Optional.of(e.getMessage()));
            return record(started, false, e.partial(), config.resyncInterval(), configError,
                    Optional.of(e.getMessage()), false);
        }
    }

    /** The policy a pass would enforce now, for dry runs; throws when the document is not usable. */
    public MasqPolicy currentPolicy() throws ConfigException {
        adopt(load());
        return MasqPolicy.from(lastGood, parseContext.ipv6Enabled());
    }

    private MasqConfig load() throws ConfigException {
        Optional<String> text = source.fetch();
        if (text.isEmpty()) {
            return MasqConfig.defaults(parseContext);
        }
        ParsedConfig parsed = ConfigParser.parse(text.get(), parseContext);
        for (String key : parsed.unknownKeys()) {
            if (warnedUnknownKeys.add(key)) {
                LOG.warnf("config key \"%s\" is not known to this agent version; ignoring it", key);
            }
        }
        return parsed.config();
    }

    private void adopt(MasqConfig config) {
        if (lastGood == null || !lastGood.equals(config)) {
            LOG.infof("config in effect (from %s, hash %s): nonMasqueradeCIDRs=%s forceMasqueradeCIDRs=%s "
                            + "masqLinkLocal=%s masqLinkLocalIPv6=%s cidrLimit=%d resyncInterval=%s",
                    source.describe(), config.hash(), config.nonMasqueradeCidrs(), config.forceMasqueradeCidrs(),
                    config.masqLinkLocal(), config.masqLinkLocalIPv6(), config.cidrLimit(),
                    GoDuration.format(config.resyncInterval()));
        }
        lastGood = config;
    }

    /** Errors are logged when they first appear or change, and their end is logged once too. */
    private void logConfigError(Optional<String> error) {
        String now = error.orElse(null);
        if (!Objects.equals(now, lastLoggedConfigError)) {
            if (now != null) {
                LOG.errorf("config rejected, rules left as they were%s: %s",
                        lastGood == null ? "" : " (still enforcing config " + lastGood.hash() + ")", now);
            } else {
                LOG.info("config accepted again");
            }
            lastLoggedConfigError = now;
        }
    }

    private void logSyncError(Optional<String> error) {
        String now = error.orElse(null);
        if (!Objects.equals(now, lastLoggedSyncError)) {
            if (now != null) {
                LOG.errorf("%s sync failed, rules left as they were: %s", backend.name(), now);
            } else if (lastLoggedSyncError != null) {
                LOG.infof("%s sync succeeded again", backend.name());
            }
            lastLoggedSyncError = now;
        }
    }

    private SyncOutcome record(Instant started, boolean applied, SyncReport report, Duration interval,
            Optional<String> configError, Optional<String> syncError, boolean drift) {
        Instant finished = clock.instant();
        SyncOutcome outcome = new SyncOutcome(applied, report, interval, configError, syncError,
                Optional.ofNullable(lastGood), drift, Duration.between(started, finished));
        status.update(s -> new StatusSnapshot(s.startedAt(), s.backend(), backend.details(), source.status(),
                lastGood == null ? Optional.empty() : Optional.of(lastGood.hash()),
                outcome.resyncInterval(),
                Optional.of(finished),
                outcome.applied() ? Optional.of(finished) : s.lastSuccess(),
                outcome.configError(), outcome.syncError(),
                s.attempts() + 1, s.successes() + (outcome.applied() ? 1 : 0)));
        return outcome;
    }
}
