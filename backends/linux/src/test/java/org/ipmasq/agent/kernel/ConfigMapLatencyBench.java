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
 */
public final class ConfigMapLatencyBench {

    private ConfigMapLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        String flavour = args.length > 2 ? args[2] : "nft";
        KubernetesMockServer server = ConfigMapKernelIT.crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        BlockingQueue<Long> writtenAt = new ArrayBlockingQueue<>(rounds + 10);
        try (Netns ns = Netns.create("latency"); KubernetesClient client = server.createClient()) {
            if (services >= 0) {
                Netns.Result load = ns.execWithInput(KubeProxyRules.iptables(services), "iptables-" + flavour + "-restore");
                if (load.exit() != 0) {
                    throw new IllegalStateException("cannot load kube-proxy's rules: " + load);
                }
            }
            ConfigMapKernelIT.put(client, "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            try (AgentAssembly agent = AgentAssembly.build(ArgsParser.parse("--config-source=api",
                    "--config=/nonexistent", "--node-name=bench"),
                    new NetnsCommandRunner(ns.name, new ProcessCommandRunner(Duration.ofSeconds(30))),
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
                        + "p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", rounds,
                        services < 0 ? "" : ", " + services + " Services in iptables-" + flavour, pct(millis, 50),
                        pct(millis, 90), pct(millis, 99), millis[rounds - 1]);
            }
        } finally {
            server.destroy();
        }
        // The mock server's event loop threads are not daemons; a benchmark must end by itself.
        System.exit(0);
    }

    static double pct(double[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
