package org.ipmasq.agent.backend.iptables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.exec.ProcessCommandRunner;

/**
 * Benchmark, not a test: run by scripts/bench.sh inside a namespace of its own. Times, against
 * the real kernel, a sync that must rewrite the chain, an idle sync (ours: one iptables-save, no
 * write), and, side by side, the original agent's strategy of restoring the whole chain on every
 * resync. CPU time includes the iptables child processes (cutime/cstime of /proc/self/stat).
 */
public final class SyncBench {

    private static final int ROUNDS = 41;

    private SyncBench() {
    }

    public static void main(String[] args) throws Exception {
        ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(30));
        RuleRenderer renderer = new RuleRenderer("IP-MASQ-AGENT", true, ToPorts.NONE);
        IptablesBackend backend = new IptablesBackend(runner, IptablesMode.NFT, "bench", renderer, true, false);
        // Warm the JIT and the kernel tables once, outside the measurement.
        for (int i = 0; i < 5; i++) {
            backend.sync(policy(64, i % 2));
        }
        System.out.println("cidrs  kind                          wall-median-ms  cpu-mean-ms(agent+iptables)");
        for (String arg : args.length == 0 ? new String[] {"3", "64"} : args) {
            int n = Integer.parseInt(arg);
            backend.sync(policy(n, 0));
            Sample changing = measure(round -> backend.sync(policy(n, round % 2 + 1)));
            Sample idle = measure(round -> backend.sync(policy(n, 2)));
            String full = "*nat\n:IP-MASQ-AGENT - [0:0]\n" + String.join("\n", renderer.chainRules(policy(n, 2).ipv4()))
                    + "\nCOMMIT\n";
            Sample original = measure(round -> runner.run(List.of("iptables-nft-restore", "--noflush", "--wait=5"), full));
            print(n, "changing sync (ours)", changing);
            print(n, "idle sync (ours, no write)", idle);
            print(n, "idle resync, original's way", original);
            System.out.printf(Locale.ROOT, "%5d  ratio idle original/ours      %.1fx wall, %.1fx cpu%n", n,
                    original.wallMs / idle.wallMs, original.cpuMs / Math.max(idle.cpuMs, 0.01));
        }
    }

    interface Step {
        void run(int round) throws Exception;
    }

    record Sample(double wallMs, double cpuMs) {
    }

    static Sample measure(Step step) throws Exception {
        double[] wall = new double[ROUNDS];
        // Clock ticks are 10 ms, too coarse for one round: CPU is the mean over all rounds.
        long cpuBefore = cpuTicks();
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            step.run(i);
            wall[i] = (System.nanoTime() - start) / 1e6;
        }
        double cpuMeanMs = (cpuTicks() - cpuBefore) * 10.0 / ROUNDS; // 100 ticks per second on Linux
        return new Sample(median(wall), cpuMeanMs);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** utime + stime + cutime + cstime of this process, in clock ticks. */
    static long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    static void print(int n, String kind, Sample s) {
        System.out.printf(Locale.ROOT, "%5d  %-28s  %14.1f  %14.1f%n", n, kind, s.wallMs, s.cpuMs);
    }

    /** n distinct /24s; variant shifts the last one so consecutive variants differ by one CIDR. */
    static MasqPolicy policy(int n, int variant) throws Exception {
        List<Cidr> cidrs = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            cidrs.add(Cidr.parse("10." + (i / 256) + "." + (i % 256) + ".0/24"));
        }
        cidrs.add(Cidr.parse("10.200." + variant + ".0/24"));
        return new MasqPolicy(new FamilyPolicy(IpFamily.IPV4, true, List.of(), cidrs), Optional.empty());
    }
}
