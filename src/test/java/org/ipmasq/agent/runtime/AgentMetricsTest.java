package org.ipmasq.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.StatusSnapshot;
import org.ipmasq.agent.core.SyncOutcome;
import org.ipmasq.agent.core.SyncReport;
import org.ipmasq.agent.core.Tally;
import org.junit.jupiter.api.Test;

/**
 * Metrics take the source kind, its staleness and backend tallies as typed values. A description
 * that reads like another kind, or reworded text, must not move them: the descriptions here are
 * chosen to mislead any code that would read meaning back out of them.
 */
class AgentMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final MasqConfig CONFIG = MasqConfig.defaults(ParseContext.of(false, false));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AgentMetrics metrics = new AgentMetrics();

    AgentMetricsTest() {
        metrics.registry = registry;
    }

    private static StatusSnapshot status(ConfigSourceStatus source) {
        return new StatusSnapshot(NOW.minusSeconds(60), "fake", Map.of(), source, Optional.of(CONFIG.hash()),
                Duration.ofSeconds(60), Optional.of(NOW), Optional.of(NOW), Optional.empty(), Optional.empty(), 1, 1, java.util.List.of());
    }

    private static SyncOutcome applied(SyncReport report) {
        return new SyncOutcome(true, report, Duration.ofSeconds(60), Optional.empty(), Optional.empty(),
                Optional.of(CONFIG), false, Duration.ofMillis(3));
    }

    private String sourceLabel() {
        Meter info = registry.find(AgentMetrics.PREFIX + "config_info").meter();
        return info.getId().getTag("source");
    }

    private double stale() {
        return registry.get(AgentMetrics.PREFIX + "config_source_stale").gauge().value();
    }

    @Test
    void anApiSourceThatIsStaleIsCountedSoWhateverItsDescriptionSays() {
        ConfigSourceStatus source = ConfigSourceStatus.api("kube-system/ip-masq-agent#config", Optional.of(NOW));
        metrics.record(applied(SyncReport.UNCHANGED), status(source));
        assertEquals("api", sourceLabel());
        assertEquals(1.0, stale());

        metrics.record(applied(SyncReport.UNCHANGED),
                status(ConfigSourceStatus.api("kube-system/ip-masq-agent#config", Optional.empty())));
        assertEquals("api", sourceLabel());
        assertEquals(0.0, stale());
    }

    @Test
    void aDescriptionThatReadsLikeAStaleApiSourceDoesNotMakeOne() {
        ConfigSourceStatus misleading = ConfigSourceStatus.other("api:kube-system/x#config (stale since " + NOW + ")");
        metrics.record(applied(SyncReport.UNCHANGED), status(misleading));
        assertEquals("other", sourceLabel());
        assertEquals(0.0, stale());
    }

    @Test
    void aFileStandingInForTheApiIsAFileSource() {
        ConfigSourceStatus waiting = ConfigSourceStatus.file("/etc/config/ip-masq-agent").untilApiAnswers();
        metrics.record(applied(SyncReport.UNCHANGED), status(waiting));
        assertEquals("file", sourceLabel());
        assertEquals(0.0, stale());
    }

    @Test
    void backendTalliesBecomeCountersByKindAndOutcome() {
        SyncReport report = new SyncReport(List.of(), Map.of(
                new Tally(Tally.Kind.HNS_ENDPOINTS, "checked"), 3L,
                new Tally(Tally.Kind.HNS_ENDPOINTS, "failed"), 1L,
                new Tally(Tally.Kind.ENDPOINT_UPDATE_STRATEGY, "remove_add"), 2L,
                new Tally(Tally.Kind.CNI_CONF_FILES, "rewritten"), 1L,
                new Tally(Tally.Kind.CNI_CONF_FILES, "failed"), 0L));
        metrics.record(applied(report), status(ConfigSourceStatus.file("/etc/config/ip-masq-agent")));
        metrics.record(applied(report), status(ConfigSourceStatus.file("/etc/config/ip-masq-agent")));
        assertEquals(6.0, counter("endpoints", "result", "checked"));
        assertEquals(2.0, counter("endpoints", "result", "failed"));
        assertEquals(4.0, counter("endpoint_update_strategy", "strategy", "remove_add"));
        assertEquals(2.0, counter("cni_conf_files", "result", "rewritten"));
        assertEquals(null, registry.find(AgentMetrics.PREFIX + "cni_conf_files").tag("result", "failed").counter(),
                "a zero tally registers no series");
    }

    private double counter(String name, String tag, String value) {
        return registry.get(AgentMetrics.PREFIX + name).tag(tag, value).counter().count();
    }

    /** increase() cannot see a series' first appearance: every declared kind and tally is there at 0 before its first event. */
    @Test
    void everyDeclaredRepairKindAndTallyIsExportedAtZeroBeforeItHappens() {
        Tally checked = new Tally(Tally.Kind.HNS_ENDPOINTS, "checked");
        Tally removeAdd = new Tally(Tally.Kind.ENDPOINT_UPDATE_STRATEGY, "remove_add");
        metrics.declare(new org.ipmasq.agent.core.ReportKinds(java.util.Set.of("jump_added", "chain_rewritten"),
                java.util.Set.of(checked, removeAdd)));
        for (String kind : List.of("jump_added", "chain_rewritten")) {
            assertEquals(0.0, registry.get(AgentMetrics.PREFIX + "drift_repairs").tag("kind", kind).counter().count(), kind);
        }
        assertEquals(0.0, registry.get(AgentMetrics.PREFIX + "endpoints").tag("result", "checked").counter().count());
        assertEquals(0.0, registry.get(AgentMetrics.PREFIX + "endpoint_update_strategy").tag("strategy", "remove_add")
                .counter().count());

        metrics.record(new SyncOutcome(true, new SyncReport(List.of(new org.ipmasq.agent.core.Change("jump_added",
                "POSTROUTING jump added")), Map.of(checked, 3L)), Duration.ofSeconds(60), Optional.empty(),
                Optional.empty(), Optional.of(CONFIG), true, Duration.ofMillis(3)),
                status(ConfigSourceStatus.api("kube-system/ip-masq-agent#config", Optional.empty())));
        assertEquals(1.0, registry.get(AgentMetrics.PREFIX + "drift_repairs").tag("kind", "jump_added").counter().count());
        assertEquals(0.0, registry.get(AgentMetrics.PREFIX + "drift_repairs").tag("kind", "chain_rewritten").counter().count());
        assertEquals(3.0, registry.get(AgentMetrics.PREFIX + "endpoints").tag("result", "checked").counter().count());
    }
}
