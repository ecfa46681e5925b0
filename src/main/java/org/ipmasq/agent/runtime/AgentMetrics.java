package org.ipmasq.agent.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.ReportKinds;
import org.ipmasq.agent.core.StatusSnapshot;
import org.ipmasq.agent.core.SyncOutcome;
import org.ipmasq.agent.core.Tally;

/**
 * Prometheus metrics at /q/metrics, fed by every pass's outcome. Names carry units and
 * {@code _total} for counters; labels are few and bounded (results, change kinds, families).
 * The one label with free text is the config hash on the info metric, and it has exactly one
 * live value at a time.
 */
@ApplicationScoped
public class AgentMetrics {

    static final String PREFIX = "ip_masq_agent_";
    /**
     * Upper bounds of the sync duration buckets (plus +Inf): an idle pass takes about 5 ms, a
     * write 20-50 ms, 10,000 CIDRs under 200 ms, and a wait for another holder of the xtables
     * lock or a slow HNS seconds (docs/benchmarks.md). Eleven fixed bounds, as kube-proxy uses
     * about a dozen, instead of Micrometer's 69 generated ones: at 5,000 nodes each bucket is
     * 5,000 series in the operator's Prometheus.
     */
    static final List<Duration> SYNC_DURATION_BUCKETS = List.of(Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    /** Every value of the result label, exported from the start so increase() sees the first one. */
    static final List<String> SYNC_RESULTS = List.of("changed", "unchanged", "failed", "skipped");

    @Inject
    MeterRegistry registry;

    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private final AtomicLong sourceStale = new AtomicLong();
    private final Map<String, AtomicLong> cidrCounts = Map.of(
            "ipv4/non_masquerade", new AtomicLong(), "ipv4/force_masquerade", new AtomicLong(),
            "ipv6/non_masquerade", new AtomicLong(), "ipv6/force_masquerade", new AtomicLong());
    private final AtomicReference<Gauge> configInfo = new AtomicReference<>();
    private volatile boolean gaugesRegistered;
    private SourceMetrics sourceMetrics;

    void onStart(@Observes StartupEvent started) {
        registerGauges();
    }

    /**
     * Exports every series the backend can move at 0, before its first event: the drift repairs of
     * each change kind its sync can make and each of its tallies. Called once the backend is known.
     */
    public void declare(ReportKinds kinds) {
        registerGauges();
        kinds.syncChangeKinds().stream().sorted().forEach(this::driftRepairs);
        kinds.tallies().forEach(this::tallyCounter);
    }

    /** Records one pass; {@code status} is the snapshot the pass left behind. */
    public void record(SyncOutcome outcome, StatusSnapshot status) {
        registerGauges();
        String result = outcome.syncError().isPresent() ? "failed"
                : !outcome.applied() ? "skipped" : outcome.report().wrote() ? "changed" : "unchanged";
        syncs(result).increment();
        syncDuration().record(outcome.duration());
        if (outcome.applied()) {
            status.lastSuccess().ifPresent(t -> lastSuccessEpochSeconds.set(t.getEpochSecond()));
        }
        if (outcome.report().wrote()) {
            ruleWrites().increment();
        }
        if (outcome.driftRepaired()) {
            for (Change change : outcome.report().changes()) {
                driftRepairs(change.kind()).increment();
            }
        }
        outcome.configError().ifPresent(e -> configRejections().increment());
        outcome.report().tallies().forEach(this::recordTally);
        outcome.config().ifPresent(config -> describeConfig(config, status));
        sourceMetrics.record(status.sources());
    }

    /** Backend tallies: endpoints checked, changed and failed on Windows, and which update strategy worked. */
    private void recordTally(Tally tally, Long value) {
        if (value == null || value == 0) {
            return;
        }
        tallyCounter(tally).increment(value);
    }

    private Counter driftRepairs(String kind) {
        return counter("drift_repairs_total", "Changes made to undo drift (the config was unchanged), by kind",
                "kind", kind);
    }

    private Counter tallyCounter(Tally tally) {
        return switch (tally.kind()) {
            case HNS_ENDPOINTS -> counter("endpoints_total", "HNS endpoints by outcome of a pass", "result",
                    tally.outcome());
            case ENDPOINT_UPDATE_STRATEGY -> counter("endpoint_update_strategy_total",
                    "Endpoint updates by the strategy HNS accepted", "strategy", tally.outcome());
            case CNI_CONF_FILES -> counter("cni_conf_files_total", "CNI conf files by outcome", "result",
                    tally.outcome());
        };
    }

    private void describeConfig(MasqConfig config, StatusSnapshot status) {
        count("ipv4/non_masquerade", config.nonMasqueradeCidrs(), false);
        count("ipv4/force_masquerade", config.forceMasqueradeCidrs(), false);
        count("ipv6/non_masquerade", config.nonMasqueradeCidrs(), true);
        count("ipv6/force_masquerade", config.forceMasqueradeCidrs(), true);
        sourceStale.set(status.configSource().stale() ? 1 : 0);
        // The engine hashed the config once when it took it; hashing it again each pass would cost
        // a SHA-256 of every CIDR's text.
        Tags tags = Tags.of("hash", status.configHash().orElseGet(config::hash), "source", status.configSource().kind().label());
        Gauge current = configInfo.get();
        if (current == null || !current.getId().getTags().equals(tags.stream().toList())) {
            Gauge next = Gauge.builder(PREFIX + "config_info", () -> 1).description(
                    "The config in effect: its hash and where it came from (value always 1)").tags(tags).register(registry);
            if (current != null && !current.getId().equals(next.getId())) {
                registry.remove(current);
            }
            configInfo.set(next);
        }
    }

    private void count(String key, java.util.List<Cidr> cidrs, boolean ipv6) {
        cidrCounts.get(key).set(cidrs.stream().filter(c -> c.isIPv6() == ipv6).count());
    }

    private Counter syncs(String result) {
        return counter("syncs_total", "Sync passes by result: changed (rules written), unchanged, failed (write or "
                + "read failed), skipped (no valid config yet)", "result", result);
    }

    private Timer syncDuration() {
        return Timer.builder(PREFIX + "sync_duration_seconds")
                .description("Duration of a sync pass, config read to rules checked or written")
                .serviceLevelObjectives(SYNC_DURATION_BUCKETS.toArray(Duration[]::new))
                .register(registry);
    }

    private Counter ruleWrites() {
        return counter("rule_writes_total", "Passes that wrote rules to the node (one transaction per family or "
                + "endpoint)");
    }

    private Counter configRejections() {
        return counter("config_rejections_total",
                "Sync passes that found the config document invalid (rules kept as they were)");
    }

    /**
     * The series every install has, at zero until something happens: an alert on increase()
     * needs the zero before the first event, and a scrape right after start shows the full set.
     */
    private synchronized void registerGauges() {
        if (gaugesRegistered) {
            return;
        }
        // Gauges read this instance's fields. A registry that outlived an earlier instance (Quarkus
        // tests restart the application in one JVM) still holds gauges reading that one's, and
        // registering the same id again would return them: drop them first.
        for (String gauge : List.of("last_successful_sync_timestamp_seconds", "config_source_stale", "cidrs",
                "config_info", "config_source_present", "config_source_rejected", "config_source_info")) {
            registry.find(PREFIX + gauge).meters().forEach(registry::remove);
        }
        SYNC_RESULTS.forEach(this::syncs);
        syncDuration();
        ruleWrites();
        configRejections();
        sourceMetrics = new SourceMetrics(registry);
        Gauge.builder(PREFIX + "last_successful_sync_timestamp_seconds", lastSuccessEpochSeconds, AtomicLong::get)
                .description("Unix time of the last pass that left the node in line with the config").register(registry);
        Gauge.builder(PREFIX + "config_source_stale", sourceStale, AtomicLong::get)
                .description("1 while the API is unreachable and the last ConfigMap seen is used").register(registry);
        cidrCounts.forEach((key, value) -> Gauge.builder(PREFIX + "cidrs", value, AtomicLong::get)
                .description("CIDRs in the config in effect, by family and list")
                .tags("family", key.substring(0, key.indexOf('/')), "list", key.substring(key.indexOf('/') + 1))
                .register(registry));
        gaugesRegistered = true;
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(PREFIX + name.replace("_total", "")).description(description).tags(tags).register(registry);
    }
}
