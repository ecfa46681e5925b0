package org.ipmasq.agent.runtime;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which series /q/metrics exports. By default: the agent's own families, the runtime series of
 * {@link ProcessMetrics} and the process start time, about 35 series a node (docs/metrics.md lists
 * each). The JVM, Netty, Vert.x worker pool and HTTP server meters Quarkus binds (some 180 more)
 * are denied, so they cost no series in a 5,000-node Prometheus; an operator who wants them sets
 * {@code ip-masq-agent.metrics.all=true} (environment variable {@code IP_MASQ_AGENT_METRICS_ALL=true}
 * on the DaemonSet). A runtime switch, because Quarkus's own binder switches are fixed at build time.
 */
public class MetricsSelection {

    /** Micrometer's process start time (from its uptime binder), already under the Prometheus name. */
    static final Set<String> RUNTIME_DEFAULTS = Set.of("process.start.time");

    @Produces
    @Singleton
    MeterFilter defaultSeries(@ConfigProperty(name = "ip-masq-agent.metrics.all", defaultValue = "false") boolean all) {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return all || exportedByDefault(id.getName()) ? MeterFilterReply.NEUTRAL : MeterFilterReply.DENY;
            }
        };
    }

    static boolean exportedByDefault(String name) {
        return name.startsWith(AgentMetrics.PREFIX) || ProcessMetrics.NAMES.contains(name)
                || RUNTIME_DEFAULTS.contains(name);
    }
}
