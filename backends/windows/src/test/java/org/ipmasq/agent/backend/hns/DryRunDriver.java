package org.ipmasq.agent.backend.hns;

import java.nio.file.Files;
import java.time.Duration;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.cli.CommandLineBackendSettings;
import org.ipmasq.agent.config.ConfigParser;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.exec.ProcessCommandRunner;

/**
 * The agent's dry-run path from the command line to the printed plan, as public entry point
 * for a test that runs it inside a class loader of its own: backend discovery (every provider
 * instantiated, every one asked whether it suits this host), flag parsing, backend creation,
 * config parsing, the plan.
 */
public final class DryRunDriver {

    private DryRunDriver() {
    }

    public static String run(String... args) throws Exception {
        Backends backends = Backends.installed();
        AgentOptions options = ArgsParser.parse(backends.flags(), args);
        ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(5));
        try {
            backends.select(Backends.AUTO, runner);
        } catch (BackendException noneSuits) {
            // only the questions matter here, not the answer
        }
        MasqBackend backend = backends.create(options.backend(), new CommandLineBackendSettings(options), runner);
        ParseContext context = ParseContext.of(options.enableIpv6(), options.nomasqAllReservedRanges());
        MasqConfig config = ConfigParser.parse(Files.readString(options.configPath()), context).config();
        return backend.plan(MasqPolicy.from(config, options.enableIpv6()));
    }
}
