package org.ipmasq.agent.runtime;

import java.time.Clock;
import java.time.Duration;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.core.AgentStatus;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.core.ConfigSource;
import org.ipmasq.agent.core.FileConfigSource;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.core.StatusSnapshot;
import org.ipmasq.agent.core.SyncEngine;
import org.ipmasq.agent.exec.ProcessCommandRunner;

/** Wires the agent's parts from the command line; shared by one-shot runs and the daemon. */
final class AgentFactory {

    /** Long enough for iptables-restore's own lock wait plus a large table. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private AgentFactory() {
    }

    record Agent(MasqBackend backend, AgentStatus status, SyncEngine engine) {
    }

    static Agent create(AgentOptions options, Clock clock) throws BackendException {
        MasqBackend backend = Backends.installed().create(options, new ProcessCommandRunner(COMMAND_TIMEOUT));
        ConfigSource source = new FileConfigSource(options.configPath());
        ParseContext context = ParseContext.of(options.enableIpv6(), options.nomasqAllReservedRanges());
        AgentStatus status = new AgentStatus(StatusSnapshot.starting(clock.instant(), backend.name(),
                backend.details(), source.describe(), MasqConfig.defaults(context).resyncInterval()));
        return new Agent(backend, status, new SyncEngine(source, context, options.enableIpv6(), backend, status, clock));
    }
}
