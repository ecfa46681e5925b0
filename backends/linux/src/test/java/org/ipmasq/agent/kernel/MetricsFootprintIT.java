package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /q/metrics of a running daemon as a 5,000-node Prometheus pays for it: a default install exports
 * a bounded number of series, every histogram has few buckets, every series is documented in
 * docs/metrics.md, and the documented alert rules only use series that exist. The operator's
 * switch for the rest (JVM, Netty, Vert.x, HTTP server) works.
 */
class MetricsFootprintIT {

    /** Series of a default install on Linux: 37, plus one at 0 per drift kind the backend's sync can repair (4). */
    static final int MAX_SERIES = 41;
    /** Buckets of one histogram, +Inf included: about a dozen, as kube-proxy's sync histograms. */
    static final int MAX_BUCKETS = 12;
    static final Path DOC = Path.of("docs/metrics.md");
    private static final Pattern SUFFIX = Pattern.compile("_(bucket|count|sum|max)$");

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    /** Sample lines of the Prometheus text format: series (name and labels) to value. */
    static Map<String, Double> series(String scrape) {
        Map<String, Double> samples = new TreeMap<>();
        scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
            int space = l.lastIndexOf(' ');
            samples.put(l.substring(0, space), Double.parseDouble(l.substring(space + 1)));
        });
        return samples;
    }

    static String name(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }

    private static String scrape(RunningAgent agent) {
        Http.Response r = Http.get(agent.ns, RunningAgent.PORT, "/q/metrics");
        assertNotNull(r, "no answer from /q/metrics");
        assertEquals(200, r.status());
        return r.body();
    }

    @Test
    void aDefaultInstallExportsFewDocumentedSeries() throws Exception {
        String doc = Files.readString(DOC);
        try (RunningAgent agent = RunningAgent.start("metrics", dir, "resyncInterval: 1s\n", List.of())) {
            long passes = agent.attempts();
            DaemonIT.await("two more passes", Duration.ofSeconds(10), () -> agent.attempts() >= passes + 2);
            // One drift repair: the bound holds for a node that has seen drift too (the repair's kind
            // was exported at 0 before it, so the count does not grow with it).
            agent.ns.ok("iptables-" + agent.healthField("iptablesMode"), "-t", "nat", "-F", "IP-MASQ-AGENT");
            DaemonIT.await("the flushed chain repaired", Duration.ofSeconds(10), () -> agent.driftRepairs() >= 1);
            Map<String, Double> samples = series(scrape(agent));
            System.out.printf("default install: %d series%n", samples.size());

            assertTrue(samples.size() <= MAX_SERIES, () -> samples.size() + " series, bound " + MAX_SERIES + ":\n"
                    + String.join("\n", samples.keySet()));

            Map<String, Long> buckets = samples.keySet().stream().filter(s -> name(s).endsWith("_bucket"))
                    .collect(Collectors.groupingBy(s -> s.replaceAll(",?le=\"[^\"]*\"", ""), Collectors.counting()));
            assertTrue(!buckets.isEmpty(), "the sync duration histogram is missing");
            buckets.forEach((histogram, count) -> assertTrue(count <= MAX_BUCKETS,
                    histogram + " has " + count + " buckets, bound " + MAX_BUCKETS));

            Set<String> undocumented = new TreeSet<>();
            for (String s : samples.keySet()) {
                String name = name(s);
                String family = SUFFIX.matcher(name).replaceAll("");
                if (!doc.contains("`" + name + "`") && !doc.contains("`" + family + "`")) {
                    undocumented.add(name);
                }
            }
            assertEquals(Set.of(), undocumented, "series a default install exports but docs/metrics.md does not list");

            Set<String> names = samples.keySet().stream().map(MetricsFootprintIT::name).collect(Collectors.toSet());
            Matcher expr = Pattern.compile("expr: (.*)").matcher(doc);
            int rules = 0;
            while (expr.find()) {
                rules++;
                Matcher metric = Pattern.compile("ip_masq_agent_\\w+").matcher(expr.group(1));
                while (metric.find()) {
                    assertTrue(names.contains(metric.group()), "alert rule uses " + metric.group()
                            + ", which a default install does not export: " + expr.group(1));
                }
            }
            assertTrue(rules >= 3, "the alert rules in " + DOC + " were not found");
        }
    }

    @Test
    void anOperatorCanTurnTheRuntimeDetailOn() throws Exception {
        try (RunningAgent agent = RunningAgent.start("metrics-all", dir, "resyncInterval: 1s\n",
                List.of("IP_MASQ_AGENT_METRICS_ALL=true"))) {
            Map<String, Double> samples = series(scrape(agent));
            System.out.printf("ip-masq-agent.metrics.all=true: %d series%n", samples.size());
            assertTrue(samples.keySet().stream().anyMatch(s -> s.startsWith("jvm_memory_used_bytes{")),
                    "JVM memory pools missing with the switch on");
            assertTrue(samples.keySet().stream().anyMatch(s -> s.startsWith("jvm_gc_")), "GC series missing");
            assertTrue(samples.size() > 2 * MAX_SERIES, samples.size() + " series with the switch on");
            assertTrue(samples.containsKey("ip_masq_agent_syncs_total{result=\"unchanged\"}"), "agent series missing");
        }
    }
}
