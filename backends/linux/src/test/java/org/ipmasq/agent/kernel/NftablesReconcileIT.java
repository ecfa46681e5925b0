package org.ipmasq.agent.kernel;

import static org.ipmasq.agent.kernel.ReconcileIT.FAST;
import static org.ipmasq.agent.kernel.ReconcileIT.TWO_INTERVALS;
import static org.ipmasq.agent.kernel.ReconcileIT.count;
import static org.ipmasq.agent.kernel.ReconcileIT.pathWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile loop of issue 3 against a real kernel, with --backend=nftables: drift, idle, bad input, faults. */
class NftablesReconcileIT {

    private static final String NFT = "nftables";

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    /** A script named nft, first on the agent's PATH, that runs the real one. */
    private Path nftWrapper(String before) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("nft");
        Files.writeString(script, "#!/bin/sh\n" + before + "\nexec " + KernelPrerequisites.find("nft") + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /**
     * Our two tables as nft lists them, IPv4 first. Not {@code nft list ruleset}: it lists tables
     * in creation order, so a recreated IPv4 table would move behind the IPv6 one.
     */
    private static final String OUR_TABLES = "for f in ip ip6; do nft list table $f ip-masq-agent 2>&1 || true; done";

    private static String ourTables(RunningAgent agent) {
        return agent.ns.ok("sh", "-c", OUR_TABLES).out();
    }

    /** Breaks the tables and lists them in one go, so a resync cannot repair them before we look. */
    private static String breakAndList(RunningAgent agent, String nftCommands) {
        return agent.ns.ok("sh", "-c", nftCommands + " && { " + OUR_TABLES + "; }").out();
    }

    @Test
    void everyKindOfDriftIsRepairedWithinTwoIntervals() throws Exception {
        try (RunningAgent agent = RunningAgent.start("nftdrift", dir, FAST, List.of(), "--backend=" + NFT,
                "--enable-ipv6")) {
            String original = ourTables(agent);
            assertTrue(original.contains("table ip ip-masq-agent {") && original.contains("table ip6 ip-masq-agent {"),
                    original);
            String t = " ip ip-masq-agent ";
            Map<String, String> breakages = new LinkedHashMap<>();
            breakages.put("delete our table", "nft delete table" + t);
            breakages.put("delete our IPv6 table", "nft delete table ip6 ip-masq-agent");
            breakages.put("flush our chain", "nft flush chain" + t + "postrouting");
            breakages.put("flush the masquerade chain", "nft flush chain" + t + "do-masquerade");
            breakages.put("flush our set", "nft flush set" + t + "non-masquerade");
            breakages.put("add a foreign element", "nft add element" + t + "non-masquerade '{ 203.0.113.7 }'");
            // Adjacent to 10.0.0.0/8: auto-merge folds it in, so only the merged range shows the drift.
            breakages.put("add an element that merges with ours", "nft add element" + t + "non-masquerade '{ 11.0.0.0/8 }'");
            breakages.put("insert a foreign rule", "nft insert rule" + t + "postrouting ip daddr 203.0.113.7 return");
            breakages.put("add a foreign chain", "nft add chain" + t + "foreign");
            breakages.put("make our table dormant", "nft add table" + t + "'{ flags dormant; }'");
            breakages.put("flush the whole ruleset", "nft flush ruleset");
            for (Map.Entry<String, String> breakage : breakages.entrySet()) {
                double repairsBefore = agent.driftRepairs();
                String broken = breakAndList(agent, breakage.getValue());
                long brokenAt = System.nanoTime();
                // Listed in the same shell as the breakage, so normally still broken; the repair
                // count is the proof that does not depend on beating the agent's next tick.
                assertTrue(!original.equals(broken) || agent.driftRepairs() > repairsBefore,
                        breakage.getKey() + " did not break anything");
                DaemonIT.await("repair after: " + breakage.getKey(), TWO_INTERVALS,
                        () -> agent.driftRepairs() > repairsBefore && ourTables(agent).equals(original));
                System.out.printf("nftables drift '%s' repaired after %d ms%n", breakage.getKey(),
                        (System.nanoTime() - brokenAt) / 1_000_000);
            }
            assertTrue(agent.process.alive());
            String log = agent.process.log();
            assertTrue(log.contains("IPv4: set non-masquerade updated: +10.0.0.0/8, -10.0.0.0/7"), log);
            assertTrue(log.contains("IPv4: table ip ip-masq-agent recreated: unexpected chain foreign"), log);
        }
    }

    @Test
    void idleIntervalsChangeNothingInTheKernel() throws Exception {
        Path calls = dir.resolve("nft-calls");
        Path bin = nftWrapper("echo \"$*\" >> " + calls);
        try (RunningAgent agent = RunningAgent.start("nftidle", dir, FAST, pathWith(bin), "--backend=" + NFT,
                "--enable-ipv6")) {
            assertEquals(1, writes(calls), "the first sync writes once");
            assertEquals("nftables", agent.healthField("backend"));
            assertEquals("ip-masq-agent", agent.healthField("table"));
            long attemptsBefore = agent.attempts();
            long readsBefore = reads(calls);
            Netns.Result monitor = agent.ns.exec("timeout", "10", "nft", "monitor");
            long passes = agent.attempts() - attemptsBefore;
            assertTrue(passes >= 8, "the agent must actually have resynced during the idle window: " + passes);
            // A pass counts in "passes" when it ends, after its reads: one that was reading while the
            // window opened is counted without its reads, so one pass's reads may be missing.
            long reads = reads(calls) - readsBefore;
            assertTrue(reads >= 2 * (passes - 1), "each pass reads both tables: " + reads + " reads in " + passes + " passes");
            assertEquals("", monitor.out(), "nft monitor saw ruleset events during " + passes + " idle passes");
            assertEquals(1, writes(calls), "nft -f ran during idle passes");
        }
    }

    private static long writes(Path calls) throws Exception {
        return Files.readAllLines(calls).stream().filter(l -> l.equals("-f -")).count();
    }

    private static long reads(Path calls) throws Exception {
        return Files.readAllLines(calls).stream().filter(l -> l.startsWith("-j list table ")).count();
    }

    @Test
    void badDocumentsLeaveTheRulesetExactlyAsItWasAndShowInHealth() throws Exception {
        Map<String, String> bad = ReconcileIT.badDocuments();
        try (RunningAgent agent = RunningAgent.start("nftbad", dir, FAST + "nonMasqueradeCIDRs: [10.0.0.0/8]\n",
                List.of(), "--backend=" + NFT)) {
            ReconcileIT.feedBadDocuments(agent, bad, agent::ruleset);

            agent.write(FAST + "nonMasqueradeCIDRs: [192.168.0.0/16]\n");
            DaemonIT.await("error cleared", Duration.ofSeconds(5), () -> "none".equals(agent.healthField("lastError")));
            DaemonIT.await("new set applied", Duration.ofSeconds(3),
                    () -> agent.ruleset().contains("elements = { 192.168.0.0/16 }"));
            String log = agent.process.log();
            assertEquals(bad.size() + 2, count(log, "config rejected, rules left as they were"), log);
        }
    }

    @Test
    void failingNftIsRetriedAndSucceedsOnceItWorksAgain() throws Exception {
        Path broken = dir.resolve("broken");
        Path bin = nftWrapper("[ -e " + broken + " ] && [ \"$1\" = -f ] && { echo 'Error: simulated failure' >&2; exit 1; }");
        try (RunningAgent agent = RunningAgent.start("nftfault", dir, FAST, pathWith(bin), "--backend=" + NFT)) {
            String before = agent.ruleset();
            Files.writeString(broken, "");
            agent.write(FAST + "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            DaemonIT.await("failure reported", Duration.ofSeconds(5), () -> {
                String error = agent.healthField("lastError");
                return error != null && error.contains("simulated failure");
            });
            assertEquals(before, agent.ruleset(), "a failed write must leave the kernel as it was");
            Thread.sleep(3000);
            Files.delete(broken);
            DaemonIT.await("applied after the fault cleared", Duration.ofSeconds(20),
                    () -> agent.ruleset().contains("elements = { 10.0.0.0/8 }"));
            assertEquals("none", agent.healthField("lastError"));
            String log = agent.process.log();
            assertEquals(1, count(log, "sync failed, rules left as they were"), log);
            assertTrue(log.contains("sync succeeded again"), log);
        }
    }

    @Test
    void sigkillInTheMiddleOfASyncThenRestartLeavesACorrectTable() throws Exception {
        Path started = dir.resolve("write-started");
        Path bin = nftWrapper("[ \"$1\" = -f ] && { touch " + started + "; sleep 1; }");
        Path config = dir.resolve("config");
        Files.writeString(config, FAST);
        try (Netns ns = Netns.create("nftkill")) {
            AgentProcess first = AgentProcess.start(ns, pathWith(bin), "--config", config.toString(), "--backend=" + NFT);
            try {
                DaemonIT.await("a write under way", Duration.ofSeconds(30), () -> Files.exists(started));
                Runtime.getRuntime().exec(new String[] {"kill", "-KILL", Long.toString(first.pid())}).waitFor();
            } finally {
                first.close();
            }
            Thread.sleep(1500); // let an orphaned nft -f finish or fail, as it would on a node
            Files.writeString(config, FAST + "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            Netns.Result again = AgentProcess.runOnce(ns, "--sync-once", "--config", config.toString(), "--backend=" + NFT);
            assertEquals(0, again.exit(), again::toString);
            String set = ns.ok("nft", "list", "set", "ip", "ip-masq-agent", "non-masquerade").out();
            assertTrue(set.contains("elements = { 10.0.0.0/8 }"), set);
            Netns.Result idle = AgentProcess.runOnce(ns, "--sync-once", "--config", config.toString(), "--backend=" + NFT);
            assertEquals("", idle.out(), "the table after restart is exactly the wanted one");
        }
    }
}
