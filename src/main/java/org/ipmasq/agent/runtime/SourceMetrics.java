package org.ipmasq.agent.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.ipmasq.agent.core.SourceState;

/**
 * Per-source metrics: which sources have a document, which one is rejected, and the hash of each
 * one's version in effect. Labelled by the source's configured name (a ConfigMap name from
 * {@code --configmap-name}, a file name of the config directory), so the series are as many as
 * the operator configured; a source that leaves the set (a file removed) loses its series.
 */
final class SourceMetrics {

    private final MeterRegistry registry;
    private final Map<String, PerSource> bySource = new HashMap<>();

    /** The gauges of one source; the info gauge is replaced when the hash changes. */
    private final class PerSource {
        final AtomicLong present = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final Gauge presentGauge;
        final Gauge rejectedGauge;
        Gauge info;
        String hash;

        PerSource(String name) {
            presentGauge = Gauge.builder(AgentMetrics.PREFIX + "config_source_present", present, AtomicLong::get)
                    .description("1 when the config source has a document (the ConfigMap or file exists)")
                    .tag("source", name).register(registry);
            rejectedGauge = Gauge.builder(AgentMetrics.PREFIX + "config_source_rejected", rejected, AtomicLong::get)
                    .description("1 while the source's current document is rejected (its last good version stays in effect)")
                    .tag("source", name).register(registry);
        }

        void update(SourceState status) {
            present.set(status.present() ? 1 : 0);
            rejected.set(status.rejected() ? 1 : 0);
            String now = status.hash().orElse("none");
            if (!now.equals(hash)) {
                if (info != null) {
                    registry.remove(info);
                }
                info = Gauge.builder(AgentMetrics.PREFIX + "config_source_info", () -> 1)
                        .description("The hash of each source's version in effect, none when it contributes nothing (value always 1)")
                        .tags("source", status.name(), "hash", now).register(registry);
                hash = now;
            }
        }

        List<Meter> meters() {
            return info == null ? List.of(presentGauge, rejectedGauge) : List.of(presentGauge, rejectedGauge, info);
        }
    }

    SourceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    synchronized void record(List<SourceState> sources) {
        Set<String> names = sources.stream().map(SourceState::name).collect(Collectors.toSet());
        bySource.entrySet().removeIf(entry -> {
            if (names.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().meters().forEach(registry::remove);
            return true;
        });
        for (SourceState source : sources) {
            bySource.computeIfAbsent(source.name(), PerSource::new).update(source);
        }
    }
}
