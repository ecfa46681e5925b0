package org.ipmasq.agent.runtime;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.cli.UsageException;
import org.ipmasq.agent.core.Backends;

/**
 * The training run behind the one-shot AOT cache (scripts/make-aot-cache.sh). The JVM archives
 * the classes one run loads, and a single --sync-once would load one backend's only; so this run
 * goes through what one-shot runs on nodes do, one after the other in one JVM: a sync that writes,
 * one that finds nothing to do, a dry run and a cleanup, with each Linux backend. It changes
 * rules, so the script runs it only in a network namespace of its own.
 *
 * <p>Usage: {@code OneShotTraining CONFIG_FILE}. Exits 0 even when a run fails (a node without
 * nft, say): the cache is then made from what did load, and the failure is printed.
 */
final class OneShotTraining {

    private OneShotTraining() {
    }

    public static void main(String... args) {
        String config = args[0];
        ProcessLaunch.preferVfork();
        ColdStart.warmUpConfigParser();
        OneShotLog.toStandardError();
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        // "auto" first: it is what nodes run, and it picks iptables wherever iptables is installed.
        for (String backend : List.of("--backend=auto", "--backend=nftables")) {
            run(List.of(backend, "--sync-once", "--config", config), discard);
            run(List.of(backend, "--sync-once", "--config", config), discard);
            run(List.of(backend, "--dry-run", "--config", config), discard);
            run(List.of(backend, "--cleanup"), discard);
        }
        run(List.of("--help"), discard);
    }

    private static void run(List<String> argv, PrintStream out) {
        try {
            AgentOptions options = ArgsParser.parse(Backends.installed().flags(), argv.toArray(String[]::new));
            int exit = OneShot.run(options, out, System.err);
            if (exit != 0) {
                System.err.println("ip-masq-agent training: " + argv + " exited " + exit);
            }
        } catch (UsageException e) {
            throw new IllegalStateException("the training's own command line is wrong: " + argv, e);
        }
    }
}
