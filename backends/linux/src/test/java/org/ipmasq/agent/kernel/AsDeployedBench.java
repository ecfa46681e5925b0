package org.ipmasq.agent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark, not a test (scripts/bench-as-deployed.sh runs it as root): each agent as a node runs
 * it, beside the original in one run. Ours is a pod's agent: ConfigMap from the API over TLS with
 * the service account's token and CA, the API a {@link FakeApiServer} that holds its watches open;
 * the original reads the kubelet's file of the same ConfigMap (its only source). Everything in
 * namespaces made here.
 *
 * <ol>
 * <li>start to first sync: process start to the POSTROUTING jump in the kernel, median of 5, a
 *     fresh namespace each run, the same 10 ms poll for every variant;
 * <li>resident memory after 60 s idle (VmRSS), and CPU per pass (agent and its iptables children)
 *     from 20 s to 60 s at resyncInterval 5s, with kube-proxy's rules for 0 and 5,000 Services;
 * <li>{@code --sync-once} wall time, median of 5 (ours only: the original has no one-shot mode).
 * </ol>
 *
 * <p>Arguments: the variants, from {@code original}, {@code jvm} (the launcher's choice of JVM and
 * AOT cache) and {@code native} (the native executable, when built).
 */
public final class AsDeployedBench {

    static final int RUNS = 5;
    static final long IDLE_MS = 60_000;
    static final long CPU_FROM_MS = 20_000;
    static final int RESYNC_SECONDS = 5;
    static final String DOCUMENT = "nonMasqueradeCIDRs: [10.0.0.0/8]\nresyncInterval: " + RESYNC_SECONDS + "s\n";

    private AsDeployedBench() {
    }

    /** One agent ready to start in its namespace (its API server already up), and what must be closed with it. */
    private record Prepared(ProcessBuilder builder, List<AutoCloseable> resources) {
        Started launch() throws IOException {
            return new Started(builder.start(), resources);
        }
    }

    /** One agent started in its namespace: its process, and whatever must be closed with it. */
    private record Started(Process process, List<AutoCloseable> resources) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
            for (AutoCloseable resource : resources) {
                resource.close();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> variants = args.length > 0 ? List.of(args) : List.of("original", "jvm");
        Path work = Files.createTempDirectory("as-deployed-");
        Map<String, Long> firstSync = new LinkedHashMap<>();
        for (String variant : variants) {
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                try (Netns ns = Netns.create("dep-start")) {
                    Path dir = Files.createDirectories(work.resolve(variant + "-start-" + i));
                    Prepared prepared = prepare(variant, ns, dir);
                    long t0 = System.nanoTime();
                    try (Started agent = prepared.launch()) {
                        while (!ns.exec("iptables", "-t", "nat", "-S", "POSTROUTING").out().contains("IP-MASQ-AGENT")) {
                            if (!agent.process().isAlive()) {
                                throw new IllegalStateException(variant + " exited before its first sync");
                            }
                            if (System.nanoTime() - t0 > 60_000_000_000L) {
                                throw new IllegalStateException(variant + ": no first sync in 60 s");
                            }
                            Thread.sleep(10);
                        }
                        runs.add((System.nanoTime() - t0) / 1_000_000);
                    }
                }
            }
            firstSync.put(variant, median(runs));
            System.out.printf(Locale.ROOT, "== start to first sync, %s: runs ms %s, median %d ms%n", variant, runs,
                    median(runs));
        }
        for (int services : new int[] {0, 5_000}) {
            idle(variants, services, work);
        }
        for (String variant : variants) {
            if (variant.equals("original")) {
                continue;
            }
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                try (Netns ns = Netns.create("dep-once")) {
                    Path config = Files.writeString(work.resolve("once-" + variant + "-" + i), DOCUMENT);
                    long t0 = System.nanoTime();
                    Netns.Result result = Netns.Result.of(AgentProcess.command(ns, List.of("IPMASQ_RUNTIME=" + variant),
                            "--sync-once", "--config-source=file", "--config", config.toString()), "");
                    runs.add((System.nanoTime() - t0) / 1_000_000);
                    if (result.exit() != 0) {
                        throw new IllegalStateException(variant + " --sync-once: " + result.err());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "== --sync-once, %s: runs ms %s, median %d ms%n", variant, runs, median(runs));
        }
        firstSync.forEach((variant, ms) -> {
            if (!variant.equals("original") && firstSync.containsKey("original")) {
                System.out.printf(Locale.ROOT, "ratio first sync %s/original: %.1fx%n", variant,
                        (double) ms / firstSync.get("original"));
            }
        });
    }

    /** All variants side by side, each in its own namespace loaded with {@code services} Services. */
    private static void idle(List<String> variants, int services, Path work) throws Exception {
        String rules = KubeProxyRules.iptables(services);
        List<Netns> namespaces = new ArrayList<>();
        List<Started> agents = new ArrayList<>();
        try {
            for (String variant : variants) {
                Netns ns = Netns.create("dep-idle");
                namespaces.add(ns);
                if (ns.execWithInput(rules, "iptables-nft-restore").exit() != 0) {
                    throw new IllegalStateException("kube-proxy's rules did not load");
                }
                agents.add(prepare(variant, ns, Files.createDirectories(work.resolve(variant + "-idle-" + services))).launch());
            }
            Thread.sleep(CPU_FROM_MS);
            long[] from = agents.stream().mapToLong(a -> cpuTicks(a.process().pid())).toArray();
            Thread.sleep(IDLE_MS - CPU_FROM_MS);
            double passes = (IDLE_MS - CPU_FROM_MS) / 1000.0 / RESYNC_SECONDS;
            long hz = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)
            for (int i = 0; i < variants.size(); i++) {
                long pid = agents.get(i).process().pid();
                long ticks = cpuTicks(pid) - from[i];
                System.out.printf(Locale.ROOT, "== idle, %,d Services, %s: VmRSS after %d s %.1f MiB (anonymous %.1f,"
                        + " file-backed %.1f), CPU %.1f ms per pass (%d ticks over %.0f passes)%n", services,
                        variants.get(i), IDLE_MS / 1000, statusMiB(pid, "VmRSS"), statusMiB(pid, "RssAnon"),
                        statusMiB(pid, "RssFile"), ticks * 1000.0 / hz / passes, ticks, passes);
            }
        } finally {
            for (Started agent : agents) {
                agent.close();
            }
            namespaces.forEach(Netns::close);
        }
    }

    /** Readies {@code variant} to start as deployed in {@code ns}: ours in-cluster against a fake API, the original from a file. */
    private static Prepared prepare(String variant, Netns ns, Path dir) throws Exception {
        if (variant.equals("original")) {
            Path config = Files.createDirectories(dir.resolve("config"));
            Files.writeString(config.resolve("ip-masq-agent"), DOCUMENT);
            Path runOriginal = Path.of(System.getProperty("original.runner", "../shared/reference/run-original"));
            return new Prepared(new ProcessBuilder(ns.command(runOriginal.toAbsolutePath().toString(), config.toString(),
                    "--logtostderr")).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()), List.of());
        }
        FakeApiServer.Running api = FakeApiServer.Running.start(ns, dir, ShutdownIT.API_PORT,
                FakeApiServer.Options.plain().withTls().withToken("token-1"));
        api.put("ip-masq-agent", DOCUMENT);
        // A real API server is warm; this one is a JVM just started, whose first TLS handshakes
        // take hundreds of milliseconds. A few requests first, so the agent's time is the agent's.
        for (int i = 0; i < 20; i++) {
            ns.exec("curl", "-s", "-o", "/dev/null", "--cacert", api.ca.orElseThrow().toString(), "-H",
                    "Authorization: Bearer token-1", "https://127.0.0.1:" + api.port
                            + "/api/v1/namespaces/kube-system/configmaps/ip-masq-agent");
        }
        ServiceAccountVolume volume = ServiceAccountVolume.create(dir.resolve("serviceaccount"), api.ca.orElseThrow(),
                "token-1");
        List<String> command = AgentProcess.inClusterCommand(ns, volume.path(), api.port,
                List.of("IPMASQ_RUNTIME=" + variant), "--config-source=api", "--node-name=bench");
        return new Prepared(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()),
                List.of(api));
    }

    /** utime + stime of the process and of its reaped children (iptables-restore and friends). */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields from state (3rd in proc(5)): utime is the 14th, so index 11 here
            return Arrays.stream(fields, 11, 15).mapToLong(Long::parseLong).sum();
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " gone", e);
        }
    }

    /** A memory line of /proc/PID/status (VmRSS, RssAnon: the process's own; RssFile: mapped files, the executable's pages among them). */
    private static double statusMiB(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0).findFirst().orElse(-1.0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
