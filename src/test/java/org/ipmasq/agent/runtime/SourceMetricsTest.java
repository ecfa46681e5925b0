package org.ipmasq.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.core.SourceState;
import org.junit.jupiter.api.Test;

class SourceMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SourceMetrics metrics = new SourceMetrics(registry);

    private static SourceState state(String name, boolean present, String hash, String error) {
        return new SourceState(name, ConfigSourceStatus.api("kube-system/" + name + "#config", Optional.empty()), present,
                Optional.ofNullable(hash), Optional.ofNullable(error), false);
    }

    private double gauge(String metric, String source) {
        Gauge gauge = registry.find(AgentMetrics.PREFIX + metric).tag("source", source).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private List<String> hashes(String source) {
        return registry.find(AgentMetrics.PREFIX + "config_source_info").tag("source", source).gauges().stream()
                .map(g -> g.getId().getTag("hash")).toList();
    }

    @Test
    void eachSourceHasItsPresenceRejectionAndOneLiveHash() {
        metrics.record(List.of(state("user", true, "aaaaaaaaaaaa", null), state("cloud", false, null, null)));
        assertEquals(1, gauge("config_source_present", "user"));
        assertEquals(0, gauge("config_source_present", "cloud"));
        assertEquals(0, gauge("config_source_rejected", "user"));
        assertEquals(List.of("aaaaaaaaaaaa"), hashes("user"));
        assertEquals(List.of("none"), hashes("cloud"));

        // The user's edit is rejected (its last good hash stays), the cloud's appears.
        metrics.record(List.of(state("user", true, "aaaaaaaaaaaa", "bad"), state("cloud", true, "bbbbbbbbbbbb", null)));
        assertEquals(1, gauge("config_source_rejected", "user"));
        assertEquals(List.of("aaaaaaaaaaaa"), hashes("user"));
        assertEquals(List.of("bbbbbbbbbbbb"), hashes("cloud"), "the old hash series is gone");

        // A file that leaves a config directory takes its series with it.
        metrics.record(List.of(state("user", true, "cccccccccccc", null)));
        assertEquals(List.of("cccccccccccc"), hashes("user"));
        assertEquals(List.of(), hashes("cloud"));
        assertNull(registry.find(AgentMetrics.PREFIX + "config_source_present").tag("source", "cloud").gauge());
    }
}
