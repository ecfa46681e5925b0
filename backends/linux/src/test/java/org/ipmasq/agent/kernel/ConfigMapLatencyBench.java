package org.ipmasq.agent.kernel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ipmasq.agent.cli.ArgsParser;
import java.util.List;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;
import org.ipmasq.agent.exec.ProcessCommandRunner;
import org.ipmasq.agent.runtime.AgentAssembly;

/**
 * Benchmark, not a test (run by scripts/bench.sh as root): time from a ConfigMap update call
 * returning to the new rules being in the kernel, i.e. iptables-restore having exited, over 100
 * updates through a mock API server into the real iptables of a fresh namespace. Updates are
 * spaced 300 ms apart so each is measured alone, not coalesced with the one before.
 *
 * <p>Arguments: rounds (100), then optionally a number of kube-proxy Services and an iptables
 * flavour (nft or legacy) to load into the namespace first ({@link KubeProxyRules}), as
 * scripts/bench-loaded-node.sh does; the agent then finds the flavour by the kubelet's chain.
 * A fourth argument {@code inside} runs everything in the namespace the caller started this JVM
 * in (ip netns exec), with the agent's commands run directly as on a node; without it the bench
 * makes a namespace and runs each command through {@code ip netns exec}.
 */
public final class ConfigMapLatencyBench {

    private ConfigMapLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        String flavour = args.length > 2 ? args[2] : "nft";
        boolean inside = args.length > 3 && args[3].equals("inside");
        try {
            if (inside) {
                // The agent's commands run as on a node: straight, not through `ip netns exec`,
                // which adds an exec and a setns to every command. The caller must have put this
                // JVM in a namespace of its own; the host's rules are never the bench's to touch.
                String here = identify();
                if (here.isEmpty()) {
                    throw new IllegalStateException("'inside' needs a named network namespace: run under ip netns exec");
                }
                ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(30));
                measure(rounds, services, flavour, runner, " (in namespace " + here + ", commands run directly)");
            } else {
                try (Netns ns = Netns.create("latency")) {
                    measure(rounds, services, flavour,
                            new NetnsCommandRunner(ns.name, new ProcessCommandRunner(Duration.ofSeconds(30))), "");
                }
            }
        } finally {
            // The mock server's event loop threads are not daemons; a benchmark must end by itself.
            System.exit(0);
        }
    }

    /** The name of the network namespace this process is in, empty for the host's (or an unnamed one). */
    private static String identify() throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "identify", Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 ? out : "";
    }

    private static void measure(int rounds, int services, String flavour, CommandRunner runner, String where)
            throws Exception {
        KubernetesMockServer server = ConfigMapKernelIT.crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        BlockingQueue<Long> writtenAt = new ArrayBlockingQueue<>(rounds + 10);
        try (KubernetesClient client = server.createClient()) {
            if (services >= 0) {
                CommandResult load = runner.run(List.of("iptables-" + flavour + "-restore"), KubeProxyRules.iptables(services));
                if (load.exitCode() != 0) {
                    throw new IllegalStateException("cannot load kube-proxy's rules: " + load);
                }
            }
            ConfigMapKernelIT.put(client, "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            try (AgentAssembly agent = AgentAssembly.build(ArgsParser.parse("--config-source=api",
                    "--config=/nonexistent", "--node-name=bench"), runner,
                    () -> client, Clock.systemUTC(), outcome -> {
                        if (outcome.report().wrote()) {
                            writtenAt.add(System.nanoTime());
                        }
                    })) {
                agent.trigger();
                writtenAt.poll(10, TimeUnit.SECONDS);
                double[] millis = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    Thread.sleep(300);
                    ConfigMapKernelIT.put(client, "nonMasqueradeCIDRs: [10.0.0.0/8, 10." + (i % 250) + "."
                            + (i / 250) + ".0/24]\n");
                    long returned = System.nanoTime();
                    Long written = writtenAt.poll(10, TimeUnit.SECONDS);
                    if (written == null) {
                        throw new IllegalStateException("update " + i + " never reached the kernel");
                    }
                    millis[i] = Math.max(0, written - returned) / 1e6;
                }
                Arrays.sort(millis);
                System.out.printf(Locale.ROOT, "ConfigMap update -> rules in kernel, %d updates%s: p50 %.1f ms, "
                        + "p90 %.1f ms, p99 %.1f ms, max %.1f ms%s%n", rounds,
                        services < 0 ? "" : ", " + services + " Services in iptables-" + flavour, pct(millis, 50),
                        pct(millis, 90), pct(millis, 99), millis[rounds - 1], where);
            }
        } finally {
            server.destroy();
        }
    }

    static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
