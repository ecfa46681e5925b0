package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long-running agent: becomes ready, follows the file, keeps its rules on SIGTERM. */
class DaemonIT {

    static final int PORT = 9742;

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("not within " + limit.toMillis() + " ms: " + what);
    }

    static List<String> chain(Netns ns) {
        return ns.ok("iptables-save", "-t", "nat").out().lines().filter(l -> l.startsWith("-A IP-MASQ-AGENT ")).toList();
    }

    @Test
    void jsonLogsWhenAsked() throws Exception {
        AgentProcess.configFile(dir, "resyncInterval: 1s\n");
        try (Netns ns = Netns.create("json");
                AgentProcess agent = AgentProcess.start(ns, List.of(), "--config", dir.resolve("config").toString(),
                        "--log-format=json")) {
            await("first sync logged", Duration.ofSeconds(30), () -> {
                try {
                    return agent.log().contains("POSTROUTING jump added");
                } catch (Exception e) {
                    return false;
                }
            });
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            long parsed = 0;
            for (String line : agent.log().split("\n")) {
                if (!line.isBlank()) {
                    com.fasterxml.jackson.databind.JsonNode record = json.readTree(line);
                    assertTrue(record.has("message") && record.has("level") && record.has("timestamp"), line);
                    parsed++;
                }
            }
            assertTrue(parsed >= 3, agent.log());
        }
    }

    /**
     * Reading files, the daemon writes its rules before Quarkus boots (EarlyPass), then carries on
     * from that pass: it is counted once in health and metrics and not repeated.
     */
    @Test
    void theFirstPassLandsBeforeTheBootAndIsNotRepeated() throws Exception {
        AgentProcess.configFile(dir, "resyncInterval: 60s\nnonMasqueradeCIDRs: [10.0.0.0/8]\n");
        CallRecorder recorder = CallRecorder.in(dir);
        try (Netns ns = Netns.create("early");
                AgentProcess agent = AgentProcess.start(ns, recorder.env(), "--config-source=file", "--config",
                        dir.resolve("config").toString(), "--iptables-mode=nft")) {
            await("ready", Duration.ofSeconds(30), () -> {
                Http.Response r = Http.get(ns, PORT, "/q/health/ready");
                return r != null && r.status() == 200;
            });
            String log = agent.log();
            int jump = log.indexOf("POSTROUTING jump added");
            int booted = log.indexOf("(powered by Quarkus");
            assertTrue(jump >= 0 && booted > jump, "the jump is logged before Quarkus's start line:\n" + log);
            assertTrue(log.contains("first pass ran before Quarkus booted"), log);
            assertEquals(3, chain(ns).size());

            Http.Response ready = Http.get(ns, PORT, "/q/health/ready");
            assertTrue(ready.body().replace(" ", "").contains("\"successes\":1"), ready.body());
            Http.Response metrics = Http.get(ns, PORT, "/q/metrics");
            assertTrue(metrics.body().contains("ip_masq_agent_syncs_total{result=\"changed\"} 1.0"), metrics.body());
            assertTrue(metrics.body().contains("ip_masq_agent_rule_writes_total 1.0"), metrics.body());
            List<String> restores = recorder.calls().stream().filter(c -> c.contains("-restore")).toList();
            assertEquals(1, restores.size(), "one write, before the boot: " + recorder.calls());
        }
    }

    @Test
    void becomesReadyFollowsConfigChangesAndLeavesRulesOnSigterm() throws Exception {
        AgentProcess.configFile(dir, "resyncInterval: 1s\n");
        try (Netns ns = Netns.create("daemon");
                AgentProcess agent = AgentProcess.start(ns, List.of(), "--config", dir.resolve("config").toString(),
                        "--v=2")) {
            await("ready", Duration.ofSeconds(30), () -> {
                Http.Response r = Http.get(ns, PORT, "/q/health/ready");
                return r != null && r.status() == 200;
            });
            Http.Response ready = Http.get(ns, PORT, "/q/health/ready");
            assertNotNull(ready);
            assertTrue(ready.body().contains("\"backend\": \"iptables\"") || ready.body().contains("\"backend\":\"iptables\""),
                    ready.body());
            assertTrue(ready.body().contains("file:" + dir.resolve("config")), ready.body());
            assertEquals(200, Http.get(ns, PORT, "/q/health/live").status());
            Http.Response metrics = Http.get(ns, PORT, "/q/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.body().contains("ip_masq_agent_syncs_total{result=\"changed\"} 1.0"), metrics.body());
            assertTrue(metrics.body().contains("ip_masq_agent_cidrs{family=\"ipv4\",list=\"non_masquerade\"} 3.0"),
                    metrics.body());
            assertEquals(5, chain(ns).size());

            // A new document is picked up by the next resync, without a restart.
            AgentProcess.configFile(dir, "resyncInterval: 1s\nnonMasqueradeCIDRs: [10.0.0.0/8]\n");
            await("new config applied", Duration.ofSeconds(5), () -> chain(ns).size() == 3);

            int exit = agent.stop(Duration.ofSeconds(10));
            assertEquals(0, exit, () -> {
                try {
                    return agent.log();
                } catch (Exception e) {
                    return e.toString();
                }
            });
            assertEquals(3, chain(ns).size(), "rules stay in place after the agent stops");
            String log = agent.log();
            assertTrue(log.contains("ignoring klog flags of the original agent: [--v]"), log);
            assertTrue(log.contains("IPv4: chain IP-MASQ-AGENT rewritten: -RETURN 172.16.0.0/12, -RETURN 192.168.0.0/16")
                    || log.contains("IPv4: chain IP-MASQ-AGENT rewritten"), log);
        }
    }
}
