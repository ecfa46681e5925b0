package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repeated syncs, cleanup, IPv6, iptables flavours, and taking over from the original agent. */
class LifecycleIT {

    static final String JUMP_COMMENT = "ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination "
            + "traffic to our custom IP-MASQ-AGENT chain";

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    private static List<String> jumps(Netns ns, String iptables) {
        return ns.ok(iptables + "-save", "-t", "nat").out().lines()
                .filter(l -> l.startsWith("-A POSTROUTING") && l.endsWith("-j IP-MASQ-AGENT")).toList();
    }

    private static List<String> chainRules(Netns ns, String iptables) {
        return ns.ok(iptables + "-save", "-t", "nat").out().lines()
                .filter(l -> l.startsWith("-A IP-MASQ-AGENT ")).toList();
    }

    private static boolean hasChain(Netns ns, String iptables) {
        return ns.ok(iptables + "-save", "-t", "nat").out().lines().anyMatch(l -> l.startsWith(":IP-MASQ-AGENT "));
    }

    private static void syncOnce(Netns ns, String... extra) {
        String[] args = new String[extra.length + 1];
        args[0] = "--sync-once";
        System.arraycopy(extra, 0, args, 1, extra.length);
        Netns.Result run = AgentProcess.runOnce(ns, args);
        assertEquals(0, run.exit(), run::toString);
    }

    @Test
    void threeSyncsLeaveOneJumpAndCleanupLeavesNothing() {
        try (Netns ns = Netns.create("life")) {
            String config = dir.resolve("absent").toString();
            for (int i = 0; i < 3; i++) {
                syncOnce(ns, "--config", config, "--enable-ipv6");
            }
            assertEquals(1, jumps(ns, "iptables").size());
            assertEquals(1, jumps(ns, "ip6tables").size());
            assertEquals(5, chainRules(ns, "iptables").size());

            Netns.Result cleanup = AgentProcess.runOnce(ns, "--cleanup");
            assertEquals(0, cleanup.exit(), cleanup::toString);
            assertEquals(List.of(), jumps(ns, "iptables"));
            assertEquals(List.of(), jumps(ns, "ip6tables"));
            assertFalse(hasChain(ns, "iptables"));
            assertFalse(hasChain(ns, "ip6tables"));
            // A second cleanup finds nothing to do and still succeeds.
            assertEquals(0, AgentProcess.runOnce(ns, "--cleanup").exit());
        }
    }

    @Test
    void ipv6ChainHoldsFe80AndTheIpv6EntriesOfTheList() throws Exception {
        AgentProcess.configFile(dir, "nonMasqueradeCIDRs: [10.0.0.0/8, fd00::/8, 2001:db8::/32]\n");
        try (Netns ns = Netns.create("v6")) {
            syncOnce(ns, "--config", dir.resolve("config").toString(), "--enable-ipv6");
            List<String> v6 = chainRules(ns, "ip6tables");
            assertEquals(4, v6.size(), v6::toString);
            assertTrue(v6.get(0).startsWith("-A IP-MASQ-AGENT -d fe80::/10 "), v6::toString);
            assertTrue(v6.get(1).startsWith("-A IP-MASQ-AGENT -d fd00::/8 "), v6::toString);
            assertTrue(v6.get(2).startsWith("-A IP-MASQ-AGENT -d 2001:db8::/32 "), v6::toString);
            assertTrue(v6.get(3).contains("-j MASQUERADE"), v6::toString);
            List<String> v4 = chainRules(ns, "iptables");
            assertEquals(3, v4.size(), v4::toString);
            assertTrue(v4.get(1).startsWith("-A IP-MASQ-AGENT -d 10.0.0.0/8 "), v4::toString);

            // Without --enable-ipv6 the same document is rejected and nothing changes.
            String before = ns.ok("iptables-save", "-t", "nat").out().replaceAll("(?m)^#.*\n", "");
            Netns.Result rejected = AgentProcess.runOnce(ns, "--sync-once", "--config", dir.resolve("config").toString());
            assertEquals(1, rejected.exit(), rejected::toString);
            assertTrue(rejected.err().contains("\"fd00::/8\" is an IPv6 CIDR but IPv6 is not enabled"), rejected::toString);
            assertEquals(before, ns.ok("iptables-save", "-t", "nat").out().replaceAll("(?m)^#.*\n", ""));
        }
    }

    @Test
    void autoModePicksTheFlavourThatHoldsRulesAndEachWorksWhenForced() {
        try (Netns legacyHost = Netns.create("legacy"); Netns nftHost = Netns.create("nft");
                Netns forced = Netns.create("forced")) {
            legacyHost.ok("iptables-legacy", "-t", "filter", "-A", "INPUT", "-s", "192.0.2.1", "-j", "DROP");
            syncOnce(legacyHost, "--config", dir.resolve("absent").toString());
            assertTrue(hasChain(legacyHost, "iptables-legacy"));
            assertFalse(hasChain(legacyHost, "iptables-nft"));

            nftHost.ok("iptables-nft", "-t", "filter", "-A", "INPUT", "-s", "192.0.2.1", "-j", "DROP");
            syncOnce(nftHost, "--config", dir.resolve("absent").toString());
            assertTrue(hasChain(nftHost, "iptables-nft"));
            assertFalse(hasChain(nftHost, "iptables-legacy"));

            syncOnce(forced, "--config", dir.resolve("absent").toString(), "--iptables-mode=legacy");
            assertTrue(hasChain(forced, "iptables-legacy"));
            assertFalse(hasChain(forced, "iptables-nft"));
            syncOnce(forced, "--config", dir.resolve("absent").toString(), "--iptables-mode", "nft");
            assertTrue(hasChain(forced, "iptables-nft"));
            assertEquals(5, chainRules(forced, "iptables-nft").size());
            assertEquals(1, jumps(forced, "iptables-nft").size());
        }
    }

    @Test
    void takesOverTheOriginalAgentsChainAndBothOfItsJumpComments() {
        try (Netns ns = Netns.create("takeover")) {
            // What the original leaves behind after an upgrade across its comment change: two jumps.
            String original = "*nat\n:IP-MASQ-AGENT - [0:0]\n"
                    + "-A IP-MASQ-AGENT -d 169.254.0.0/16 -m comment --comment \"ip-masq-agent: cluster-local traffic "
                    + "should not be subject to MASQUERADE\" -m addrtype ! --dst-type LOCAL -j RETURN\n"
                    + "-A IP-MASQ-AGENT -d 10.0.0.0/8 -m comment --comment \"ip-masq-agent: cluster-local traffic "
                    + "should not be subject to MASQUERADE\" -m addrtype ! --dst-type LOCAL -j RETURN\n"
                    + "-A IP-MASQ-AGENT -m comment --comment \"ip-masq-agent: outbound traffic should be subject to "
                    + "MASQUERADE (this match must come after cluster-local CIDR matches)\" -m addrtype ! --dst-type "
                    + "LOCAL -j MASQUERADE\n"
                    + "-A POSTROUTING -m comment --comment \"\\\"" + JUMP_COMMENT + "\\\"\" -m addrtype ! --dst-type "
                    + "LOCAL -j IP-MASQ-AGENT\n"
                    + "-A POSTROUTING -m comment --comment \"" + JUMP_COMMENT + "\" -m addrtype ! --dst-type LOCAL "
                    + "-j IP-MASQ-AGENT\n"
                    + "COMMIT\n";
            Netns.Result load = ns.execWithInput(original, "iptables-restore", "--noflush");
            assertEquals(0, load.exit(), load::toString);
            assertEquals(2, jumps(ns, "iptables").size());
            assertTrue(jumps(ns, "iptables").get(0).contains("\\\"ip-masq-agent"), jumps(ns, "iptables")::toString);

            syncOnce(ns, "--config", dir.resolve("absent").toString());
            assertEquals(List.of("-A POSTROUTING -m comment --comment \"" + JUMP_COMMENT + "\" -m addrtype ! "
                    + "--dst-type LOCAL -j IP-MASQ-AGENT"), jumps(ns, "iptables"));
            List<String> rules = chainRules(ns, "iptables");
            assertEquals(5, rules.size(), rules::toString);
            assertTrue(rules.get(2).contains("-d 172.16.0.0/12"), rules::toString);
            assertTrue(rules.get(4).endsWith("-j MASQUERADE --random-fully"), rules::toString);
        }
    }
}
