package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules docs/metrics.md documents, run by promtool on series scraped from a running
 * agent. Each scrape is placed on promtool's timeline (one scrape a minute, each sample held until
 * the next scrape, as a 1 m scrape interval of an agent in that state would see it), so the alert
 * fires on what the agent really exports, absent series included: RepeatedDrift must fire on the
 * fourth repair within 30 minutes, not later, and ConfigRejected on the first rejection.
 */
class AlertRulesIT {

    static final Path DOC = Path.of("docs/metrics.md");
    static final String LABELS = "instance=\"node-1\",job=\"ip-masq-agent\"";

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
        KernelPrerequisites.require("promtool");
    }

    /** The yaml block under "Example alert rules" in docs/metrics.md. */
    static String documentedRules() throws Exception {
        String doc = Files.readString(DOC);
        int section = doc.indexOf("## Example alert rules");
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    private static Map<String, Double> scrape(RunningAgent agent) {
        Http.Response r = Http.get(agent.ns, RunningAgent.PORT, "/q/metrics");
        assertNotNull(r, "no answer from /q/metrics");
        Map<String, Double> agentSeries = new LinkedHashMap<>();
        MetricsFootprintIT.series(r.body()).forEach((series, value) -> {
            if (series.startsWith("ip_masq_agent_")) {
                agentSeries.put(series, value);
            }
        });
        return agentSeries;
    }

    @Test
    void eachDocumentedAlertFiresWhenItsCommentSays() throws Exception {
        List<Map<String, Double>> scrapes = new ArrayList<>();
        try (RunningAgent agent = RunningAgent.start("alerts", dir, "resyncInterval: 1s\n", List.of())) {
            String iptables = "iptables-" + agent.healthField("iptablesMode");
            DaemonIT.await("a first pass", Duration.ofSeconds(30), () -> agent.attempts() >= 1);
            scrapes.add(scrape(agent)); // minute 0: a quiet node, no repair yet
            for (int repair = 1; repair <= 4; repair++) {
                double before = agent.driftRepairs();
                agent.ns.ok(iptables, "-t", "nat", "-F", "POSTROUTING"); // the jump gone, as a flush by another agent
                DaemonIT.await("repair " + repair, Duration.ofSeconds(10), () -> agent.driftRepairs() > before);
                scrapes.add(scrape(agent)); // minutes 5, 10, 15, 20: one repair each
            }
            agent.write("nonMasqueradeCIDRs: [10.0.0.1/8]\n");
            DaemonIT.await("the rejection counted", Duration.ofSeconds(10),
                    () -> scrape(agent).getOrDefault("ip_masq_agent_config_rejections_total", 0.0) >= 1);
            scrapes.add(scrape(agent)); // minute 25: a rejected document
        }
        // Scrape i is in effect from minute 5 * i; 40 minutes in all.
        int minutes = 40;
        TreeSet<String> names = new TreeSet<>();
        scrapes.forEach(s -> names.addAll(s.keySet()));
        StringBuilder input = new StringBuilder();
        for (String series : names) {
            if (series.contains("_timestamp_seconds")) {
                continue; // wall-clock values: NotSyncing is judged by its own test below
            }
            StringBuilder values = new StringBuilder();
            for (int minute = 0; minute <= minutes; minute++) {
                Double value = scrapes.get(Math.min(minute / 5, scrapes.size() - 1)).get(series);
                values.append(value == null ? "_" : String.format("%.0f", value)).append(' ');
            }
            String withLabels = series.contains("{") ? series.replace("{", "{" + LABELS + ",") : series + "{" + LABELS + "}";
            input.append("  - series: '").append(withLabels).append("'\n    values: '").append(values.toString().trim())
                    .append("'\n");
        }
        Path rules = Files.writeString(dir.resolve("rules.yml"), documentedRules());
        String drift = """
                      - exp_labels: {severity: warning, instance: node-1, job: ip-masq-agent}
                        exp_annotations:
                          summary: "ip-masq-agent repaired its rules 4 times in 30m on node-1"
                          description: "The kind label says what was changed (jump removed, chain flushed, ...)."
                """;
        String rejected = """
                      - exp_labels: {severity: warning, instance: node-1, job: ip-masq-agent}
                        exp_annotations:
                          summary: "ip-masq-agent rejects its config on node-1"
                          description: "kubectl -n kube-system get events --field-selector reason=InvalidConfig"
                """;
        String test = "rule_files: [" + rules + "]\nevaluation_interval: 1m\ntests:\n- interval: 1m\n  input_series:\n"
                + input + "  alert_rule_test:\n"
                + expect(19, "IpMasqAgentRepeatedDrift", "") + expect(20, "IpMasqAgentRepeatedDrift", drift)
                + expect(24, "IpMasqAgentConfigRejected", "") + expect(25, "IpMasqAgentConfigRejected", rejected);
        Path file = Files.writeString(dir.resolve("alerts-test.yml"), test);
        Netns.Result r = Netns.Result.of(List.of(KernelPrerequisites.find("promtool").toString(), "test", "rules",
                file.toString()), "");
        assertEquals(0, r.exit(), () -> "promtool test rules:\n" + r.out() + r.err() + "\n" + test);
    }

    private static String expect(int minute, String alert, String alerts) {
        return "  - eval_time: " + minute + "m\n    alertname: " + alert + "\n    exp_alerts:"
                + (alerts.isEmpty() ? " []\n" : "\n" + alerts);
    }
}
