package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reconcile loop against a real kernel: drift, idle, bad input, faults. */
class ReconcileIT {

    static final String FAST = "resyncInterval: 1s\n";
    static final Duration TWO_INTERVALS = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    /** A wrapper named like a real iptables binary, put first on the agent's PATH. */
    private Path wrapper(String name, String body) throws Exception {
        return wrapperIn(dir, name, body);
    }

    /** {@link #wrapper} in a folder of the caller's, for other kernel tests. */
    static Path wrapperIn(Path dir, String name, String body) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    static List<String> pathWith(Path bin) {
        return List.of("PATH=" + bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    private static String jump(RunningAgent agent) {
        return agent.natTable().lines().filter(l -> l.startsWith("-A POSTROUTING") && l.endsWith("-j IP-MASQ-AGENT"))
                .findFirst().orElseThrow();
    }

    @Test
    void everyKindOfDriftIsRepairedWithinTwoIntervals() throws Exception {
        try (RunningAgent agent = RunningAgent.start("drift", dir, FAST, List.of())) {
            String original = agent.natTable();
            String jump = jump(agent);
            Map<String, Runnable> breakages = new LinkedHashMap<>();
            breakages.put("delete the jump", () -> agent.restore("*nat\n-D" + jump.substring(2) + "\nCOMMIT\n"));
            breakages.put("flush our chain", () -> agent.ns.ok("iptables", "-t", "nat", "-F", "IP-MASQ-AGENT"));
            breakages.put("delete our chain", () -> agent.restore("*nat\n-D" + jump.substring(2)
                    + "\n-F IP-MASQ-AGENT\n-X IP-MASQ-AGENT\nCOMMIT\n"));
            breakages.put("insert a foreign rule", () -> agent.ns.ok("iptables", "-t", "nat", "-I", "IP-MASQ-AGENT",
                    "-d", "203.0.113.7/32", "-j", "RETURN"));
            breakages.put("flush the nat table", () -> agent.ns.ok("iptables", "-t", "nat", "-F"));
            for (Map.Entry<String, Runnable> breakage : breakages.entrySet()) {
                double repairsBefore = agent.driftRepairs();
                breakage.getValue().run();
                long broken = System.nanoTime();
                // The agent may repair before the test can look, so the proof that the breakage
                // happened is the agent counting a repair, not the test catching the table broken.
                DaemonIT.await("repair after: " + breakage.getKey(), TWO_INTERVALS,
                        () -> agent.driftRepairs() > repairsBefore && agent.natTable().equals(original));
                System.out.printf("drift '%s' repaired after %d ms%n", breakage.getKey(),
                        (System.nanoTime() - broken) / 1_000_000);
            }
            assertTrue(agent.process.alive());
        }
    }

    @Test
    void idleIntervalsChangeNothingInTheKernel() throws Exception {
        Path calls = dir.resolve("restore-calls");
        Path bin = wrapper("iptables-nft-restore", "echo call >> " + calls + "\nexec /usr/sbin/iptables-nft-restore \"$@\"");
        try (RunningAgent agent = RunningAgent.start("idle", dir, FAST, pathWith(bin), "--iptables-mode=nft")) {
            assertEquals(1, Files.readAllLines(calls).size(), "the first sync writes once");
            long attemptsBefore = agent.attempts();
            Netns.Result monitor = agent.ns.exec("timeout", "10", "nft", "monitor");
            long passes = agent.attempts() - attemptsBefore;
            assertTrue(passes >= 8, "the agent must actually have resynced during the idle window: " + passes);
            assertEquals("", monitor.out(), "nft monitor saw ruleset events during " + passes + " idle passes");
            assertEquals(1, Files.readAllLines(calls).size(), "iptables-restore ran during idle passes");
        }
    }

    /** Bad documents of the reconcile issue, each with a phrase its rejection must contain. */
    static Map<String, String> badDocuments() {
        StringBuilder tooMany = new StringBuilder(FAST + "nonMasqueradeCIDRs:\n");
        for (int i = 0; i < 65; i++) {
            tooMany.append("  - 10.").append(i).append(".0.0/16\n");
        }
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("*\n", "not valid YAML or JSON");
        bad.put("{*\n", "not valid YAML or JSON");
        bad.put("{\"nonMasqueradeCIDRs\": [\"10.0.0.0/8\"\n", "not valid YAML or JSON");
        bad.put(FAST + "nonMasqueradeCIDRs: [abcdefg]\n", "abcdefg");
        bad.put(FAST + "nonMasqueradeCIDRs: [10.256.0.0/16]\n", "10.256.0.0/16");
        bad.put(FAST + "nonMasqueradeCIDRs: [10.0.0.1/8]\n", "did you mean \"10.0.0.0/8\"");
        bad.put(tooMany.toString(), "65 entries, more than cidrLimit 64");
        bad.put(FAST + "nonMasqueradeCIDRs: [fd00::/8]\n", "--enable-ipv6");
        bad.put("resyncInterval: 5d\n", "5d");
        bad.put("resyncInterval: 0s\n", "must be positive");
        bad.put("resyncInterval: 60\n", "must be a duration string");
        bad.put(FAST + "nonMasqueradeCIDRs: 10.0.0.0/8\n", "must be a list of CIDR strings");
        bad.put(FAST + "cidrLimit: \"x\"\n", "cidrLimit must be an integer");
        bad.put(FAST + "masqLinkLocal: \"yes\"\n", "masqLinkLocal must be a boolean");
        return bad;
    }

    @Test
    void badDocumentsLeaveTheRulesExactlyAsTheyWereAndShowInHealth() throws Exception {
        Map<String, String> bad = badDocuments();
        try (RunningAgent agent = RunningAgent.start("bad", dir, FAST + "nonMasqueradeCIDRs: [10.0.0.0/8]\n", List.of())) {
            feedBadDocuments(agent, bad, agent::natTable);

            // A valid document clears the error and is applied.
            agent.write(FAST + "nonMasqueradeCIDRs: [192.168.0.0/16]\n");
            DaemonIT.await("error cleared", Duration.ofSeconds(5), () -> "none".equals(agent.healthField("lastError")));
            assertTrue(agent.natTable().contains("-d 192.168.0.0/16 "));
            // Each document stayed for at least two passes; each distinct rejection is logged once.
            String log = agent.process.log();
            assertEquals(bad.size() + 2, count(log, "config rejected, rules left as they were"), log);
            assertEquals(1, count(log, "65 entries, more than cidrLimit 64"), log);
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Writes each bad document, then a 100 MB file and binary garbage, and checks after each that
     * {@code kernelState} is what it was before the first.
     */
    static void feedBadDocuments(RunningAgent agent, Map<String, String> bad, Supplier<String> kernelState)
            throws Exception {
        String before = kernelState.get();
        for (Map.Entry<String, String> doc : bad.entrySet()) {
            agent.write(doc.getKey());
            expectRejected(agent, doc.getValue(), before, kernelState);
        }
        // A 100 MB file: refused by its size, never read.
        try (RandomAccessFile huge = new RandomAccessFile(agent.config.toFile(), "rw")) {
            huge.setLength(100L * 1024 * 1024);
        }
        expectRejected(agent, "over the 1 MiB limit", before, kernelState);
        // Binary garbage.
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        Files.write(agent.config, garbage);
        expectRejected(agent, "config", before, kernelState);
    }

    static void expectRejected(RunningAgent agent, String expected, String before, Supplier<String> kernelState)
            throws Exception {
        DaemonIT.await("rejection containing '" + expected + "'", Duration.ofSeconds(5), () -> {
            String error = agent.healthField("lastError");
            return error != null && error.contains(expected);
        });
        // Let at least one more pass run on the bad document before comparing.
        long attempts = agent.attempts();
        DaemonIT.await("another pass", Duration.ofSeconds(3), () -> agent.attempts() > attempts);
        assertEquals(before, kernelState.get(), "rules changed after a bad document: " + expected);
        assertTrue(agent.process.alive());
        assertEquals(200, agent.health("live").status());
        assertEquals(200, agent.health("ready").status(), "a rejected config must not make the pod unready");
    }

    @Test
    void failingRestoreIsRetriedAndSucceedsOnceItWorksAgain() throws Exception {
        Path broken = dir.resolve("broken");
        Path bin = wrapper("iptables-nft-restore", "[ -e " + broken + " ] && { echo 'iptables-restore: simulated "
                + "failure' >&2; exit 1; }\nexec /usr/sbin/iptables-nft-restore \"$@\"");
        try (RunningAgent agent = RunningAgent.start("fault", dir, FAST, pathWith(bin),
                "--iptables-mode=nft")) {
            String before = agent.natTable();
            Files.writeString(broken, "");
            agent.write("resyncInterval: 1s\nnonMasqueradeCIDRs: [10.0.0.0/8]\n");
            DaemonIT.await("failure reported", Duration.ofSeconds(5), () -> {
                String error = agent.healthField("lastError");
                return error != null && error.contains("simulated failure");
            });
            assertEquals(before, agent.natTable(), "a failed write must leave the kernel as it was");
            Thread.sleep(3000);
            Files.delete(broken);
            DaemonIT.await("applied after the fault cleared", Duration.ofSeconds(20),
                    () -> agent.natTable().contains("-d 10.0.0.0/8 ") && !agent.natTable().contains("172.16.0.0/12"));
            assertEquals("none", agent.healthField("lastError"));
            String log = agent.process.log();
            assertEquals(1, count(log, "sync failed, rules left as they were"), log);
            assertTrue(log.contains("sync succeeded again"), log);
        }
    }

    @Test
    void anotherHolderOfTheXtablesLockOnlyDelaysTheWrite() throws Exception {
        Path lock = dir.resolve("xtables.lock");
        Files.writeString(lock, "");
        try (RunningAgent agent = RunningAgent.start("lock", dir, FAST, List.of("XTABLES_LOCKFILE=" + lock),
                "--iptables-mode=legacy")) {
            Process holder = new ProcessBuilder("flock", lock.toString(), "sleep", "3").start();
            try {
                Thread.sleep(300);
                agent.write(FAST + "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
                DaemonIT.await("applied once the lock is free", Duration.ofSeconds(10),
                        () -> !agent.natTable("iptables-legacy-save").contains("172.16.0.0/12"));
                assertEquals("none", agent.healthField("lastError"));
                String log = agent.process.log();
                assertEquals(0, count(log, "sync failed"), log);
            } finally {
                holder.destroyForcibly();
                holder.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void sigkillInTheMiddleOfASyncThenRestartLeavesACorrectChain() throws Exception {
        Path started = dir.resolve("restore-started");
        Path bin = wrapper("iptables-nft-restore", "touch " + started + "\nsleep 1\nexec /usr/sbin/iptables-nft-restore \"$@\"");
        Path config = dir.resolve("config");
        Files.writeString(config, FAST);
        try (Netns ns = Netns.create("kill")) {
            AgentProcess first = AgentProcess.start(ns, pathWith(bin), "--config", config.toString(), "--iptables-mode=nft");
            try {
                DaemonIT.await("a restore under way", Duration.ofSeconds(30), () -> Files.exists(started));
                Runtime.getRuntime().exec(new String[] {"kill", "-KILL", Long.toString(first.pid())}).waitFor();
            } finally {
                first.close();
            }
            Thread.sleep(1500); // let an orphaned restore finish or fail, as it would on a node
            Files.writeString(config, FAST + "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            Netns.Result again = AgentProcess.runOnce(ns, "--sync-once", "--config", config.toString());
            assertEquals(0, again.exit(), again::toString);
            List<String> save = ns.ok("iptables-save", "-t", "nat").out().lines().toList();
            assertEquals(1, save.stream().filter(l -> l.startsWith("-A POSTROUTING") && l.endsWith("-j IP-MASQ-AGENT"))
                    .count());
            assertEquals(List.of("169.254.0.0/16", "10.0.0.0/8"), save.stream()
                    .filter(l -> l.startsWith("-A IP-MASQ-AGENT -d ")).map(l -> l.split(" ")[3]).toList());
            assertTrue(save.stream().filter(l -> l.startsWith("-A IP-MASQ-AGENT ")).reduce((a, b) -> b).orElseThrow()
                    .contains("-j MASQUERADE"));
        }
    }
}
