package org.ipmasq.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.config.ParseContext;
import org.junit.jupiter.api.Test;

class SyncEngineTest {

    /** Records the policies it was asked to enforce; fails on demand. */
    static final class RecordingBackend implements MasqBackend {
        @Override
        public ReportKinds reportKinds() {
            return new ReportKinds(java.util.Set.of(), java.util.Set.of());
        }

        final List<MasqPolicy> applied = new ArrayList<>();
        MasqPolicy current;
        String failWith;
        SyncReport partial = SyncReport.UNCHANGED;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Map<String, String> details() {
            return Map.of("kind", "fake");
        }

        @Override
        public SyncReport sync(MasqPolicy policy) throws BackendException {
            if (failWith != null) {
                throw new BackendException(failWith, partial);
            }
            if (policy.equals(current)) {
                return SyncReport.UNCHANGED;
            }
            current = policy;
            applied.add(policy);
            return new SyncReport(List.of(new Change("config_applied", "changed")));
        }

        @Override
        public String plan(MasqPolicy policy) {
            return "";
        }

        @Override
        public SyncReport cleanup() {
            return SyncReport.UNCHANGED;
        }

        @Override
        public String planCleanup() {
            return "";
        }
    }

    private final TextConfigSource source = new TextConfigSource();
    private final RecordingBackend backend = new RecordingBackend();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private final AgentStatus status = new AgentStatus(StatusSnapshot.starting(clock.instant(), "fake", Map.of(),
            ConfigSourceStatus.other("test"), Duration.ofSeconds(60)));
    private final SyncEngine engine = new SyncEngine(source, ParseContext.of(false, false), backend, status, clock);

    @Test
    void noDocumentMeansDefaultsAndReady() {
        SyncOutcome outcome = engine.runOnce();
        assertTrue(outcome.clean());
        assertEquals(3, backend.current.ipv4().nonMasquerade().size());
        assertTrue(status.get().ready());
        assertTrue(status.get().configHash().isPresent());
    }

    @Test
    void rejectedFirstDocumentWritesNothingAndIsNotReady() {
        source.text = Optional.of("nonMasqueradeCIDRs: [abcdefg]");
        SyncOutcome outcome = engine.runOnce();
        assertFalse(outcome.applied());
        assertTrue(backend.applied.isEmpty());
        assertFalse(status.get().ready());
        assertTrue(status.get().lastError().orElseThrow().contains("abcdefg"), status.get().toString());
    }

    @Test
    void rejectedLaterDocumentKeepsEnforcingTheLastGoodOneUntilFixed() {
        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]\nresyncInterval: 5s");
        engine.runOnce();
        MasqPolicy good = backend.current;

        source.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.1/8]");
        SyncOutcome rejected = engine.runOnce();
        assertTrue(rejected.applied(), "healing with the last good config still succeeds");
        assertFalse(rejected.clean());
        assertEquals(good, backend.current);
        assertEquals(1, backend.applied.size());
        assertEquals(Duration.ofSeconds(5), rejected.resyncInterval());
        assertTrue(status.get().configError().orElseThrow().contains("did you mean \"10.0.0.0/8\""));

        source.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16]");
        SyncOutcome fixed = engine.runOnce();
        assertTrue(fixed.clean());
        assertEquals(Optional.empty(), status.get().configError());
        assertEquals("192.168.0.0/16", backend.current.ipv4().nonMasquerade().get(0).text());
    }

    @Test
    void aPartlyFailedPassKeepsWhatItDidForMetrics() {
        backend.failWith = "1 of 3 endpoints failed";
        backend.partial = new SyncReport(List.of(new Change("endpoint_updated", "endpoint a updated")),
                Map.of(new Tally(Tally.Kind.HNS_ENDPOINTS, "checked"), 3L, new Tally(Tally.Kind.HNS_ENDPOINTS, "changed"), 1L,
                        new Tally(Tally.Kind.HNS_ENDPOINTS, "failed"), 1L));
        SyncOutcome outcome = engine.runOnce();
        assertFalse(outcome.applied());
        assertEquals(Optional.of("1 of 3 endpoints failed"), outcome.syncError());
        assertEquals(1L, outcome.report().tallies().get(new Tally(Tally.Kind.HNS_ENDPOINTS, "failed")));
        assertEquals(1, outcome.report().changes().size());
    }

    @Test
    void backendFailureIsReportedAndClearedBySuccess() {
        engine.runOnce();
        backend.failWith = "iptables-restore exited 4: lock";
        SyncOutcome failed = engine.runOnce();
        assertFalse(failed.applied());
        assertEquals(Optional.of("iptables-restore exited 4: lock"), status.get().syncError());
        assertEquals(2, status.get().attempts());
        assertEquals(1, status.get().successes());
        backend.failWith = null;
        assertTrue(engine.runOnce().clean());
        assertEquals(Optional.empty(), status.get().lastError());
    }
}
