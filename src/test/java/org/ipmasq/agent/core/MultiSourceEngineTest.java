package org.ipmasq.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.config.ParseContext;
import org.junit.jupiter.api.Test;

/** Two sources, a primary ("user") and a second one ("cloud"), through the sync engine. */
class MultiSourceEngineTest {

    private final TextConfigSource user = new TextConfigSource("user");
    private final TextConfigSource cloud = new TextConfigSource("cloud");
    private final SyncEngineTest.RecordingBackend backend = new SyncEngineTest.RecordingBackend();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    private final AgentStatus status = new AgentStatus(StatusSnapshot.starting(clock.instant(), "fake", Map.of(),
            ConfigSourceStatus.other("test"), Duration.ofSeconds(60)));
    private final SyncEngine engine = new SyncEngine(ConfigSources.of(List.of(user, cloud)),
            ParseContext.of(false, false), backend, status, clock);

    private List<String> kept() {
        return backend.current.ipv4().nonMasquerade().stream().map(Cidr::text).toList();
    }

    private SourceState source(String name) {
        return status.get().sources().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void bothSourcesAreMergedAndHealthNamesEach() {
        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16]\nresyncInterval: 30s");
        cloud.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8, 192.168.0.0/16]\nmasqLinkLocal: true\nresyncInterval: 5s");
        SyncOutcome outcome = engine.runOnce();
        assertTrue(outcome.clean());
        assertEquals(List.of("192.168.0.0/16", "10.0.0.0/8"), kept());
        assertFalse(backend.current.ipv4().keepLinkLocal());
        assertEquals(Duration.ofSeconds(30), outcome.resyncInterval(), "the primary's interval");
        assertEquals(List.of("user", "cloud"), status.get().sources().stream().map(SourceState::name).toList());
        assertTrue(source("user").hash().isPresent() && source("cloud").hash().isPresent());
        assertFalse(source("user").hash().equals(source("cloud").hash()));
        assertEquals("user, cloud", status.get().configSource().description());
    }

    @Test
    void aBadEditOfOneKeepsItsLastGoodEntriesWhileTheOtherGoesOnChanging() {
        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16]");
        cloud.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]");
        engine.runOnce();
        String userHash = source("user").hash().orElseThrow();

        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.1/16]");
        cloud.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8, 100.64.0.0/10]");
        SyncOutcome outcome = engine.runOnce();

        assertTrue(outcome.applied());
        assertEquals(List.of("192.168.0.0/16", "10.0.0.0/8", "100.64.0.0/10"), kept());
        assertTrue(source("user").rejected());
        assertEquals(Optional.of(userHash), source("user").hash(), "the rejected source's last good version stays");
        assertFalse(source("cloud").rejected());
        assertEquals("source user: nonMasqueradeCIDRs[0]: CIDR \"192.168.0.1/16\" has host bits set; "
                + "did you mean \"192.168.0.0/16\"?", outcome.configError().orElseThrow());

        user.text = Optional.of("nonMasqueradeCIDRs: [172.16.0.0/12]");
        assertTrue(engine.runOnce().clean());
        assertEquals(List.of("172.16.0.0/12", "10.0.0.0/8", "100.64.0.0/10"), kept());
    }

    @Test
    void aDeletedSourceContributesNothingAndOneThatAppearsLaterJoins() {
        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16]");
        engine.runOnce();
        assertEquals(List.of("192.168.0.0/16"), kept(), "the absent cloud source adds no defaults");
        assertFalse(source("cloud").present());
        assertEquals(Optional.empty(), source("cloud").hash());

        cloud.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]");
        engine.runOnce();
        assertEquals(List.of("192.168.0.0/16", "10.0.0.0/8"), kept());

        user.text = Optional.empty();
        engine.runOnce();
        assertEquals(List.of("10.0.0.0/8"), kept());

        cloud.text = Optional.empty();
        engine.runOnce();
        assertEquals(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), kept(), "no source at all: the defaults");
    }

    @Test
    void aDeletedSourceThatComesBackBadIsNotRevivedFromMemory() {
        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16]");
        cloud.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]");
        engine.runOnce();
        cloud.text = Optional.empty();
        engine.runOnce();
        cloud.text = Optional.of("nonMasqueradeCIDRs: [nonsense]");
        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16, 100.64.0.0/10]");
        SyncOutcome outcome = engine.runOnce();
        assertTrue(outcome.applied());
        assertEquals(List.of("192.168.0.0/16", "100.64.0.0/10"), kept());
        assertEquals(Optional.empty(), source("cloud").hash());
        assertTrue(source("cloud").rejected());
    }

    @Test
    void atStartAnInvalidSourceWithNoGoodVersionYetHoldsTheFirstWrite() {
        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16]");
        cloud.text = Optional.of("nonMasqueradeCIDRs: [nonsense]");
        SyncOutcome outcome = engine.runOnce();
        assertFalse(outcome.applied(), "writing without the cloud ranges would take them off the node");
        assertTrue(backend.applied.isEmpty());
        cloud.text = Optional.of("nonMasqueradeCIDRs: [10.0.0.0/8]");
        assertTrue(engine.runOnce().clean());
        assertEquals(List.of("192.168.0.0/16", "10.0.0.0/8"), kept());
    }

    @Test
    void aNodeSpecificErrorIsMarkedOnItsSource() {
        cloud.text = Optional.of("nonMasqueradeCIDRs: [fd00::/8]");
        engine.runOnce();
        assertTrue(source("cloud").nodeSpecific());
        assertTrue(source("cloud").error().orElseThrow().contains("--enable-ipv6"));
        assertFalse(source("user").rejected());
    }

    @Test
    void aDryRunRefusesWhileAnySourceIsRejected() throws ConfigException {
        user.text = Optional.of("nonMasqueradeCIDRs: [192.168.0.0/16]");
        assertEquals(1, engine.currentPolicy().ipv4().nonMasquerade().size());
        cloud.text = Optional.of("cidrLimit: x");
        ConfigException e = assertThrows(ConfigException.class, engine::currentPolicy);
        assertTrue(e.getMessage().startsWith("source cloud: cidrLimit must be an integer"), e.getMessage());
    }
}
