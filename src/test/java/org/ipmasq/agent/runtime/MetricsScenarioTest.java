package org.ipmasq.agent.runtime;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ipmasq.agent.backend.iptables.FakeIptables;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.core.SyncOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted scenarios through the real engine, renderer and backend (on a fake nat table), then
 * /q/metrics read as Prometheus would: each scenario must move exactly the counters it should.
 */
@QuarkusTest
class MetricsScenarioTest {

    @Inject
    AgentMetrics metrics;

    @TempDir
    Path dir;

    /** Sample lines of the Prometheus text format, by series (name and labels), for ip_masq_agent_ metrics. */
    static Map<String, Double> scrape() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("ip_masq_agent_")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    @Test
    void eachScenarioMovesExactlyItsCounters() throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "nonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12]\n");
        FakeIptables fake = FakeIptables.nftOnly();
        try (AgentAssembly agent = AgentAssembly.build(ArgsParser.parse("--config-source=file", "--config",
                config.toString(), "--iptables-mode=nft"), fake, null, Clock.systemUTC(), o -> { })) {
            Map<String, Double> before = scrape();
            // 1. good sync (first write)
            pass(agent);
            // 2. drift repaired: someone deletes the jump
            fake.table("iptables-nft").get("POSTROUTING").clear();
            pass(agent);
            // 3. bad config: rejected, rules kept and still healed from the last good one
            Files.writeString(config, "nonMasqueradeCIDRs: [10.0.0.1/8]\n");
            pass(agent);
            // 4. failed write: a valid change that iptables-restore refuses
            Files.writeString(config, "nonMasqueradeCIDRs: [192.168.0.0/16]\n");
            fake.failRestores = true;
            pass(agent);
            // health's lastError quotes the input line the restore refused (the fake refuses line 2)
            String refused = fake.restores.get(fake.restores.size() - 1).lines().skip(1).findFirst().orElseThrow();
            assertTrue(agent.status().get().lastError().orElseThrow().endsWith("line 2 failed; line 2: " + refused),
                    agent.status().get().lastError().toString());

            Map<String, Double> after = scrape();
            assertEquals(2.0, delta(before, after, "ip_masq_agent_syncs_total{result=\"changed\"}"));
            assertEquals(1.0, delta(before, after, "ip_masq_agent_syncs_total{result=\"unchanged\"}"));
            assertEquals(1.0, delta(before, after, "ip_masq_agent_syncs_total{result=\"failed\"}"));
            assertEquals(2.0, delta(before, after, "ip_masq_agent_rule_writes_total"));
            assertEquals(1.0, delta(before, after, "ip_masq_agent_drift_repairs_total{kind=\"jump_added\"}"));
            assertEquals(1.0, delta(before, after, "ip_masq_agent_config_rejections_total"));
            assertEquals(4.0, delta(before, after, "ip_masq_agent_sync_duration_seconds_count"));
            assertEquals(1.0, after.get("ip_masq_agent_cidrs{family=\"ipv4\",list=\"non_masquerade\"}"));
            assertEquals(0.0, after.get("ip_masq_agent_cidrs{family=\"ipv6\",list=\"non_masquerade\"}"));
            String info = after.keySet().stream().filter(k -> k.startsWith("ip_masq_agent_config_info{")).reduce(
                    (a, b) -> a + " | " + b).orElseThrow();
            assertTrue(info.contains("source=\"file\""), info);
            assertTrue(info.contains("hash=\"" + agent.status().get().configHash().orElseThrow() + "\""), info);
            assertTrue(after.get("ip_masq_agent_last_successful_sync_timestamp_seconds") > 1.7e9);
            assertEquals(0.0, after.get("ip_masq_agent_config_source_stale"));
        }
    }

    private void pass(AgentAssembly agent) {
        SyncOutcome outcome = agent.engine().runOnce();
        metrics.record(outcome, agent.status().get());
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        assertTrue(after.containsKey(series), () -> series + " missing; have " + after.keySet());
        return after.get(series) - before.getOrDefault(series, 0.0);
    }
}
