package org.ipmasq.agent.runtime;

import java.io.PrintStream;
import java.time.Clock;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.PartialPlanException;
import org.ipmasq.agent.core.SyncOutcome;
import org.ipmasq.agent.exec.ProcessCommandRunner;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** --sync-once, --dry-run, --cleanup and --help: do one thing, say it, exit. */
final class OneShot {

    private OneShot() {
    }

    static int run(AgentOptions options, PrintStream out, PrintStream err) {
        options.ignoredFlags().forEach(flag -> err.println("ip-masq-agent: ignoring klog flag " + flag));
        switch (options.runMode()) {
            case HELP:
                out.print(ArgsParser.usage());
                Backends backends = Backends.installed();
                out.println("  backends installed: " + String.join(", ", backends.names()));
                backends.flags().keySet().forEach(flag -> out.println("  --" + flag + "  (backend flag, see docs)"));
                return 0;
            default:
                break;
        }
        try {
            AgentAssembly agent = AgentAssembly.build(options, new ProcessCommandRunner(AgentDaemon.COMMAND_TIMEOUT),
                    AgentAssembly.clientIfCredentials(() -> new KubernetesClientBuilder().build()), Clock.systemUTC(),
                    outcome -> { });
            try (agent) {
            switch (options.runMode()) {
                case CLEANUP:
                    if (options.dryRun()) {
                        out.print(agent.backend().planCleanup());
                    } else {
                        agent.backend().cleanup().changes().forEach(out::println);
                    }
                    return 0;
                case SYNC_ONCE:
                    if (options.dryRun()) {
                        MasqPolicy policy = agent.engine().currentPolicy();
                        try {
                            out.print(agent.backend().plan(policy));
                        } catch (PartialPlanException partial) {
                            out.print(partial.plan()); // what could be previewed; the failure is reported below
                            throw partial;
                        }
                        return 0;
                    }
                    SyncOutcome outcome = agent.engine().runOnce();
                    outcome.report().changes().forEach(out::println);
                    if (!outcome.clean()) {
                        err.println("ip-masq-agent: " + outcome.errorLine());
                        return 1;
                    }
                    return 0;
                default:
                    throw new IllegalStateException("not a one-shot mode: " + options.runMode());
            }
            }
        } catch (ConfigException e) {
            err.println("ip-masq-agent: config rejected: " + e.getMessage());
            return 1;
        } catch (BackendException e) {
            err.println("ip-masq-agent: " + e.getMessage());
            return 1;
        }
    }
}
