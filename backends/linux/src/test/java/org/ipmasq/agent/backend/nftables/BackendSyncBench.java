package org.ipmasq.agent.backend.nftables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ipmasq.agent.backend.iptables.IptablesBackendProvider;
import org.ipmasq.agent.backend.iptables.IptablesSettings;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.cli.CommandLineBackendSettings;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.exec.ProcessCommandRunner;

/**
 * Benchmark, not a test: run by scripts/bench-nftables.sh inside a namespace of its own. Times
 * both Linux backends, built the way the agent builds them, against the real kernel, side by
 * side in one run: a full write into an empty namespace, an idle sync (read and compare, no
 * write) and a sync where one CIDR changed. CPU time includes the nft / iptables child processes
 * (cutime+cstime of /proc/self/stat), so it is the node's cost, not just the JVM's.
 */
public final class BackendSyncBench {

    private BackendSyncBench() {
    }

    public static void main(String[] args) throws Exception {
        ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(120));
        AgentOptions options = ArgsParser.parse("--iptables-mode=nft", "--random-fully=true");
        CommandLineBackendSettings settings = new CommandLineBackendSettings(options);
        List<MasqBackend> backends = List.of(
                new IptablesBackendProvider().create(settings.forBackend(IptablesSettings.class), runner),
                new NftablesBackendProvider().create(settings.forBackend(NftablesSettings.class), runner));
        // Warm the JIT and the kernel once, outside the measurement.
        for (MasqBackend backend : backends) {
            for (int i = 0; i < 5; i++) {
                backend.sync(policy(64, i % 2));
            }
            backend.cleanup();
        }
        System.out.println("cidrs  kind          rounds  iptables wall-median-ms  cpu-mean-ms  |  nftables wall-median-ms"
                + "  cpu-mean-ms  |  wall iptables/nftables");
        for (String arg : args.length == 0 ? new String[] {"64", "1000", "10000"} : args) {
            int n = Integer.parseInt(arg);
            int rounds = n >= 10_000 ? 11 : 21;
            Sample[][] samples = new Sample[3][backends.size()];
            for (int b = 0; b < backends.size(); b++) {
                MasqBackend backend = backends.get(b);
                MasqPolicy wanted = policy(n, 0);
                samples[0][b] = measure(rounds, round -> backend.cleanup(), round -> backend.sync(wanted));
                backend.sync(wanted);
                samples[1][b] = measure(rounds, round -> { }, round -> {
                    if (backend.sync(wanted).wrote()) {
                        throw new IllegalStateException(backend.name() + " wrote during an idle sync");
                    }
                });
                samples[2][b] = measure(rounds, round -> { }, round -> backend.sync(policy(n, round % 2 + 1)));
                backend.cleanup();
            }
            String[] kinds = {"full write", "idle", "one changed"};
            for (int k = 0; k < kinds.length; k++) {
                Sample ipt = samples[k][0];
                Sample nft = samples[k][1];
                System.out.printf(Locale.ROOT, "%5d  %-12s  %6d  %23.1f  %11.1f  |  %23.1f  %11.1f  |  %8.1fx%n", n, kinds[k],
                        rounds, ipt.wallMs, ipt.cpuMs, nft.wallMs, nft.cpuMs, ipt.wallMs / nft.wallMs);
            }
        }
    }

    interface Step {
        void run(int round) throws Exception;
    }

    record Sample(double wallMs, double cpuMs) {
    }

    /** Runs {@code prepare} untimed, then times {@code step}; CPU is the mean over rounds (ticks are 10 ms). */
    static Sample measure(int rounds, Step prepare, Step step) throws Exception {
        double[] wall = new double[rounds];
        long cpuTicks = 0;
        for (int i = 0; i < rounds; i++) {
            prepare.run(i);
            long cpuBefore = cpuTicks();
            long start = System.nanoTime();
            step.run(i);
            wall[i] = (System.nanoTime() - start) / 1e6;
            cpuTicks += cpuTicks() - cpuBefore;
        }
        Arrays.sort(wall);
        return new Sample(wall[rounds / 2], cpuTicks * 10.0 / rounds);
    }

    /** utime + stime + cutime + cstime of this process, in clock ticks (100 per second on Linux). */
    static long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /**
     * n distinct, non-adjacent /24s (so neither backend can merge them away); variant moves the
     * last one, so consecutive variants differ in exactly one CIDR.
     */
    static MasqPolicy policy(int n, int variant) {
        List<Cidr> cidrs = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            int k = i * 2;
            cidrs.add(Cidr.of("10." + (k / 256) + "." + (k % 256) + ".0/24"));
        }
        cidrs.add(Cidr.of("10.200." + (variant * 2) + ".0/24"));
        return new MasqPolicy(new FamilyPolicy(IpFamily.IPV4, true, List.of(), cidrs), Optional.empty());
    }
}
