package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.core.AgentStatus;
import org.ipmasq.agent.core.TextConfigSource;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.StatusSnapshot;
import org.ipmasq.agent.core.SyncEngine;
import org.ipmasq.agent.core.SyncOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core's behaviour around the HNS backend, unchanged from Linux: a bad document never
 * reaches HNS and the last good one keeps healing, drift is repaired on the next pass, a
 * partial failure is a failed pass (so the loop retries) whose counts still reach health data.
 */
class HnsWithSyncEngineTest {

    private final TextConfigSource document = new TextConfigSource();
    private final FakeHcn hns = new FakeHcn();
    private AgentStatus status;
    private SyncEngine engine;

    @BeforeEach
    void agent() {
        hns.addResource("win-bridge");
        hns.addResource("win-overlay");
        HnsBackend backend = new HnsBackend(hns, "fake", Optional.empty());
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        status = new AgentStatus(StatusSnapshot.starting(clock.instant(), backend.name(), backend.details(), ConfigSourceStatus.other("test"),
                Duration.ofSeconds(60)));
        engine = new SyncEngine(document, ParseContext.of(false, false), backend, status, clock);
    }

    @Test
    void aRejectedDocumentNeverReachesHnsAndTheLastGoodOneKeepsHealing() {
        document.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        assertTrue(engine.runOnce().applied());
        assertEquals(List.of("10.0.0.0/8", "169.254.0.0/16"), hns.exceptions(HnsBackendTest.BRIDGE, IpFamily.IPV4));
        hns.sent.clear();

        document.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.1/8]\n");
        hns.editExceptions(HnsBackendTest.BRIDGE, IpFamily.IPV4, List.of("11.0.0.0/8"));
        SyncOutcome outcome = engine.runOnce();

        assertTrue(outcome.configError().isPresent());
        assertTrue(outcome.applied(), "the last good document was enforced");
        assertEquals(1, hns.sent.size(), "only the drift was repaired");
        assertEquals(List.of("10.0.0.0/8", "169.254.0.0/16"), hns.exceptions(HnsBackendTest.BRIDGE, IpFamily.IPV4));
    }

    @Test
    void aPartialFailureIsAFailedPassWithCountsInHealthData() {
        hns.fail(HnsBackendTest.OVERLAY, 0x80070005);

        SyncOutcome outcome = engine.runOnce();

        assertFalse(outcome.applied());
        assertTrue(outcome.syncError().orElseThrow().startsWith("1 of 2 HNS endpoints not in line"));
        StatusSnapshot snapshot = status.get();
        assertFalse(snapshot.ready());
        assertEquals("1", snapshot.backendDetails().get("endpoints_failed"));
        assertEquals("1", snapshot.backendDetails().get("endpoints_changed"));
        assertEquals(Policies.DEFAULT_EXCEPTIONS, hns.exceptions(HnsBackendTest.BRIDGE, IpFamily.IPV4),
                "the endpoint that could be fixed was fixed");
    }

    @Test
    void anIdlePassWritesNothingAndIsReady() {
        assertTrue(engine.runOnce().applied());
        hns.sent.clear();

        SyncOutcome idle = engine.runOnce();

        assertTrue(idle.applied());
        assertEquals(List.of(), hns.sent);
        assertTrue(status.get().ready());
        assertEquals("2", status.get().backendDetails().get("endpoints_checked"));
        assertEquals("0", status.get().backendDetails().get("endpoints_changed"));
    }
}
