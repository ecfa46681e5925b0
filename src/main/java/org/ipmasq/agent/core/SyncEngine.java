package org.ipmasq.agent.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.config.ConfigMerge;
import org.ipmasq.agent.config.GoDuration;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.config.ParseContext;
import org.jboss.logging.Logger;

/**
 * One sync pass: read every config source, validate each on its own, merge them, and have the
 * backend bring the node in line. A rejected source keeps its last good version in the merge;
 * a rejected document never reaches the backend; the last good merge keeps healing the node.
 * Not thread-safe on purpose: the sync loop guarantees passes never overlap.
 */
public final class SyncEngine {

    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    private final ConfigSources sources;
    private final ParseContext parseContext;
    private final MasqBackend backend;
    private final AgentStatus status;
    private final Clock clock;
    private final SourceLedger ledger;

    /** The last good config and its hash, taken once: hashing a 10,000-CIDR config is not free. */
    private record Good(MasqConfig config, String hash) {
    }

    private Good lastGood;
    /** The config of the last pass that brought the node in line, to tell drift from config changes. */
    private MasqConfig lastApplied;
    private List<SourceState> sourceStatuses = List.of();
    private String lastLoggedConfigError;
    private String lastLoggedSyncError;

    public SyncEngine(ConfigSource source, ParseContext parseContext, MasqBackend backend,
            AgentStatus status, Clock clock) {
        this(ConfigSources.of(source), parseContext, backend, status, clock);
    }

    public SyncEngine(ConfigSources sources, ParseContext parseContext, MasqBackend backend,
            AgentStatus status, Clock clock) {
        this.sources = sources;
        this.parseContext = parseContext;
        this.backend = backend;
        this.status = status;
        this.clock = clock;
        this.ledger = new SourceLedger(parseContext);
    }

    public SyncOutcome runOnce() {
        Instant started = clock.instant();
        Optional<String> configError = load();
        logConfigError(configError);
        if (lastGood == null) {
            // Nothing good was ever read: leave the node exactly as it is rather than guess.
            return record(started, false, SyncReport.UNCHANGED, MasqConfig.defaults(parseContext).resyncInterval(),
                    configError, Optional.empty(), false);
        }
        MasqConfig config = lastGood.config();
        try {
            SyncReport report = backend.sync(MasqPolicy.from(config, parseContext.ipv6Enabled()));
            report.changes().forEach(change -> LOG.infof("%s: %s", backend.name(), change));
            logSyncError(Optional.empty());
            // The null test first: the first pass has nothing applied before it, and a record's
            // equals builds its method handles on first call (8 ms of a cold one-shot run).
            boolean drift = report.wrote() && lastApplied != null && config.equals(lastApplied);
            lastApplied = config;
            return record(started, true, report, config.resyncInterval(), configError, Optional.empty(), drift);
        } catch (BackendException e) {
            logSyncError(Optional.of(e.getMessage()));
            return record(started, false, e.partial(), config.resyncInterval(), configError,
                    Optional.of(e.getMessage()), false);
        }
    }

    /** The policy a pass would enforce now, for dry runs; throws when any source is not usable. */
    public MasqPolicy currentPolicy() throws ConfigException {
        Optional<String> error = load();
        if (error.isPresent()) {
            throw new ConfigException(error.get());
        }
        return MasqPolicy.from(lastGood.config(), parseContext.ipv6Enabled());
    }

    /**
     * Reads the sources and adopts their merge when it can be formed.
     *
     * @return the rejections of this pass, as one line
     */
    private Optional<String> load() {
        SourceLedger.Reading reading;
        try {
            reading = ledger.read(sources.list());
        } catch (ConfigException e) {
            return Optional.of(e.getMessage()); // the set itself is unknown: keep everything as it is
        }
        sourceStatuses = reading.statuses();
        // The first merge waits for every source that has a document to be valid once: merging
        // without one would take what it said (before a restart, say) off the node.
        if (reading.complete() || lastGood != null) {
            adopt(ConfigMerge.merge(reading.inEffect(), parseContext));
        }
        return reading.error();
    }

    private void adopt(MasqConfig config) {
        if (lastGood != null && lastGood.config().equals(config)) {
            return;
        }
        lastGood = new Good(config, config.hash());
        LOG.infof("config in effect (from %s, hash %s): nonMasqueradeCIDRs=%s forceMasqueradeCIDRs=%s "
                        + "masqLinkLocal=%s masqLinkLocalIPv6=%s cidrLimit=%d resyncInterval=%s",
                sources.describe(), lastGood.hash(), config.nonMasqueradeCidrs(), config.forceMasqueradeCidrs(),
                config.masqLinkLocal(), config.masqLinkLocalIPv6(), config.cidrLimit(),
                GoDuration.format(config.resyncInterval()));
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
                Optional.ofNullable(lastGood).map(Good::config), drift, Duration.between(started, finished));
        List<SourceState> perSource = sourceStatuses;
        status.update(s -> new StatusSnapshot(s.startedAt(), s.backend(), backend.details(), sources.status(),
                Optional.ofNullable(lastGood).map(Good::hash),
                outcome.resyncInterval(),
                Optional.of(finished),
                outcome.applied() ? Optional.of(finished) : s.lastSuccess(),
                outcome.configError(), outcome.syncError(),
                s.attempts() + 1, s.successes() + (outcome.applied() ? 1 : 0), perSource));
        return outcome;
    }
}
