package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent on a node loaded like a real one: kube-proxy's rules for 5,000 Services (about 40,000
 * nat rules, {@link KubeProxyRules}) in iptables-nft, in iptables-legacy, and as kube-proxy's own
 * nftables table. Every iptables and nft call the agent makes is recorded through PATH wrappers,
 * so the tests can say what each pass read. Loading happens once per class (one restore per
 * namespace); timings belong to scripts/bench-loaded-node.sh, not here.
 */
class LoadedNodeIT {

    static final int SERVICES = 5_000;
    static final String FAST = "resyncInterval: 1s\n";
    static final String CHAIN = "IP-MASQ-AGENT";
    static final String KUBE_PROXY_JUMP = "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" "
            + "-j KUBE-POSTROUTING";

    /** Loaded namespaces by flavour: "nft", "legacy" (kube-proxy in iptables) and "nftables" (kube-proxy's table). */
    private static final Map<String, Netns> LOADED = new LinkedHashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void loadKubeProxy() {
        KernelPrerequisites.check();
        String rules = KubeProxyRules.iptables(SERVICES);
        for (String flavour : List.of("nft", "legacy")) {
            Netns ns = Netns.create("loaded-" + flavour);
            LOADED.put(flavour, ns);
            Netns.Result load = ns.execWithInput(rules, "iptables-" + flavour + "-restore");
            assertEquals(0, load.exit(), load::toString);
        }
        Netns nftables = Netns.create("loaded-nftables");
        LOADED.put("nftables", nftables);
        Netns.Result load = nftables.execWithInput(KubeProxyRules.nftables(SERVICES), "nft", "-f", "-");
        assertEquals(0, load.exit(), load::toString);
    }

    @AfterAll
    static void deleteNamespaces() {
        LOADED.values().forEach(Netns::close);
    }

    /** Everything iptables-save prints but the agent's lines, counters zeroed: kube-proxy's part, in order. */
    static String othersRules(Netns ns, String flavour) {
        return ns.ok("iptables-" + flavour + "-save").out().lines()
                .filter(l -> !l.startsWith("#") && !l.contains(CHAIN))
                .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "[0:0]"))
                .reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append).toString();
    }

    static List<String> natLines(Netns ns, String flavour, String prefix) {
        return ns.ok("iptables-" + flavour + "-save", "-t", "nat").out().lines().filter(l -> l.startsWith(prefix)).toList();
    }

    /**
     * The reads a pass may make, per flavour. nf_tables: the two chains, never a save. Legacy:
     * one save of nat, the cheapest read there is (its kernel interface copies the whole table
     * for any read, -S of one chain included; docs/benchmarks.md has the figures).
     */
    static Predicate<String> passRead(String flavour) {
        Pattern read = flavour.equals("nft")
                ? Pattern.compile("iptables-nft -t nat -S (POSTROUTING|" + CHAIN + ")")
                : Pattern.compile("iptables-legacy-save -t nat");
        return call -> read.matcher(call).matches();
    }

    static boolean isWrite(String call) {
        return call.matches("ip6?tables-(nft|legacy)-restore --noflush --wait=5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nft", "legacy"})
    void changingAndIdlePassesReadOnlyTheirChainsAndLeaveKubeProxysRulesAsTheyWere(String flavour) throws Exception {
        Netns ns = LOADED.get(flavour);
        String before = othersRules(ns, flavour);
        assertTrue(natLines(ns, flavour, "-A ").size() > 8 * SERVICES, "kube-proxy's rules are loaded");
        CallRecorder recorder = CallRecorder.in(dir);
        try (RunningAgent agent = RunningAgent.startIn(ns, dir, FAST, recorder.env())) {
            // Auto mode found the kubelet's chain by listing it, not by reading a table whole.
            assertEquals(flavour, agent.healthField("iptablesMode"));
            assertTrue(agent.healthField("iptablesModeReason").contains("KUBE-IPTABLES-HINT chain is in iptables-" + flavour),
                    agent.healthField("iptablesModeReason"));
            List<String> startup = recorder.calls();
            assertTrue(startup.stream().noneMatch(c -> c.contains("-save") && !passRead(flavour).test(c)),
                    "start-up read a table whole: " + startup);

            // First sync: one jump, after kube-proxy's, and kube-proxy's rules untouched.
            assertEquals(List.of(KUBE_PROXY_JUMP, jump()), natLines(ns, flavour, "-A POSTROUTING"));
            assertEquals(before, othersRules(ns, flavour));

            // Idle passes: reads of our chains only, no write.
            int mark = recorder.calls().size();
            long attempts = agent.attempts();
            DaemonIT.await("three idle passes", Duration.ofSeconds(20), () -> agent.attempts() >= attempts + 3);
            List<String> idle = recorder.callsSince(mark);
            assertTrue(idle.stream().allMatch(passRead(flavour)), "idle passes ran more than their reads: " + idle);
            assertTrue(idle.stream().noneMatch(LoadedNodeIT::isWrite), idle::toString);

            // A changing pass: the same reads and one write, and kube-proxy's rules still as they were.
            mark = recorder.calls().size();
            agent.write(FAST + "nonMasqueradeCIDRs: [10.0.0.0/8, 100.64.0.0/10]\n");
            DaemonIT.await("new config in the kernel", Duration.ofSeconds(20), () -> natLines(ns, flavour, "-A " + CHAIN + " -d ")
                    .stream().map(l -> l.split(" ")[3]).toList().equals(List.of("169.254.0.0/16", "10.0.0.0/8", "100.64.0.0/10")));
            List<String> changing = recorder.callsSince(mark);
            assertEquals(1, changing.stream().filter(LoadedNodeIT::isWrite).count(), changing::toString);
            assertTrue(changing.stream().allMatch(passRead(flavour).or(LoadedNodeIT::isWrite)), changing::toString);
            assertEquals(List.of(KUBE_PROXY_JUMP, jump()), natLines(ns, flavour, "-A POSTROUTING"));
            assertEquals(before, othersRules(ns, flavour));
            assertEquals("none", agent.healthField("lastError"));
        }
        // --cleanup takes only what is ours, too.
        Netns.Result cleanup = AgentProcess.runOnce(ns, "--cleanup");
        assertEquals(0, cleanup.exit(), cleanup::toString);
        assertEquals(List.of(), natLines(ns, flavour, ":" + CHAIN));
        assertEquals(before, othersRules(ns, flavour));
    }

    private static String jump() {
        return "-A POSTROUTING -m comment --comment \"" + LifecycleIT.JUMP_COMMENT + "\" -m addrtype ! --dst-type LOCAL -j "
                + CHAIN;
    }

    /**
     * The nftables backend beside kube-proxy, both ways: its own nftables table, and its rules
     * through iptables-nft. It reads its own tables only ({@code nft -j list table ip
     * ip-masq-agent}), and a second sync writes nothing.
     */
    @Test
    void nftablesBackendReadsOnlyItsOwnTableBesideKubeProxy() throws Exception {
        for (String flavour : List.of("nftables", "nft")) {
            Netns ns = LOADED.get(flavour);
            String before = flavour.equals("nftables") ? ns.ok("nft", "list", "table", "ip", "kube-proxy").out()
                    : othersRules(ns, "nft");
            CallRecorder recorder = CallRecorder.in(dir.resolve(flavour));
            for (int run = 0; run < 2; run++) {
                Netns.Result sync = Netns.Result.of(AgentProcess.command(ns, recorder.env(), "--sync-once",
                        "--backend=nftables", "--config", dir.resolve("absent").toString()), "");
                assertEquals(0, sync.exit(), sync::toString);
            }
            List<String> calls = recorder.calls();
            List<String> reads = new ArrayList<>(calls);
            reads.removeIf(c -> c.equals("nft --version") || c.equals("nft -f -"));
            assertTrue(reads.stream().allMatch(c -> c.equals("nft -j list table ip ip-masq-agent")), calls::toString);
            assertEquals(1, calls.stream().filter(c -> c.equals("nft -f -")).count(), "only the first sync writes: " + calls);
            assertTrue(ns.ok("nft", "list", "table", "ip", "ip-masq-agent").out().contains("masquerade"));
            String after = flavour.equals("nftables") ? ns.ok("nft", "list", "table", "ip", "kube-proxy").out()
                    : othersRules(ns, "nft");
            assertEquals(before, after, "kube-proxy's rules changed");
            Netns.Result cleanup = AgentProcess.runOnce(ns, "--cleanup", "--backend=nftables");
            assertEquals(0, cleanup.exit(), cleanup::toString);
        }
    }
}
