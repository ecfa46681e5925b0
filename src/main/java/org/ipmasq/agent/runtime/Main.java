package org.ipmasq.agent.runtime;

import io.quarkus.runtime.Quarkus;
import java.time.Clock;
import org.ipmasq.agent.exec.ProcessCommandRunner;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.cli.UsageException;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.kube.KubeCredentials;

/**
 * Entry point. Flags are checked before anything else happens, so a bad value stops start-up
 * with one line and nothing written. One-shot modes (--sync-once, --dry-run, --cleanup) run
 * without booting Quarkus: they need no HTTP server or scheduler and finish faster.
 */
@QuarkusMain
public final class Main {

    /** Exit code for a bad command line, as Go's flag package uses. */
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String... args) {
        ProcessLaunch.preferVfork();
        // First, so the parser's classes load while the backends are found and probed.
        ColdStart.warmUpConfigParser();
        AgentOptions options;
        try {
            options = ArgsParser.parse(Backends.installed().flags(), args);
        } catch (UsageException e) {
            System.err.println("ip-masq-agent: " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        if (options.runMode().oneShot()) {
            OneShotLog.toStandardError();
            System.exit(OneShot.run(options, System.out, System.err));
            return;
        }
        EarlyPass.runBeforeBoot(options, AgentAssembly.clientIfCredentials(() -> null),
                KubeCredentials.inCluster(System.getenv(), KubeCredentials.SERVICE_ACCOUNT),
                new ProcessCommandRunner(AgentDaemon.COMMAND_TIMEOUT), Clock.systemUTC());
        options.healthPort().ifPresent(port -> System.setProperty("quarkus.http.port", Integer.toString(port)));
        if (options.jsonLogs()) {
            System.setProperty("quarkus.log.console.json.enabled", "true");
        }
        Quarkus.run(AgentDaemon.class, args);
    }
}
