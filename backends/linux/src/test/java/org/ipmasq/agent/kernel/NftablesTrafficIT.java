package org.ipmasq.agent.kernel;

import static org.ipmasq.agent.kernel.TrafficIT.INSIDE;
import static org.ipmasq.agent.kernel.TrafficIT.NODE_INSIDE;
import static org.ipmasq.agent.kernel.TrafficIT.NODE_OUTSIDE;
import static org.ipmasq.agent.kernel.TrafficIT.OUTSIDE;
import static org.ipmasq.agent.kernel.TrafficIT.POD;
import static org.ipmasq.agent.kernel.TrafficIT.sourceSeenByPeer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nftables backend with real traffic (the pod/node/peer namespaces of {@link TrafficIT}):
 * next to another component's iptables-nft rules, and with a list of 10,000 CIDRs.
 */
class NftablesTrafficIT {

    /** Connections to this port of INSIDE get kube-proxy's masquerade mark. */
    static final int MARKED_PORT = 8081;

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    /** Runs the agent once in the node namespace with {@code mode} (--sync-once or --cleanup). */
    private Netns.Result agent(TrafficIT.Topology t, String mode, String document) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, document);
        Netns.Result result = AgentProcess.runOnce(t.node, "--backend=nftables", mode, "--config", config.toString());
        assertEquals(0, result.exit(), result::toString);
        return result;
    }

    /** Every table but ours, as nft lists them: what the agent must never touch. */
    private static String othersTables(Netns ns) {
        String ruleset = ns.ok("nft", "list", "ruleset").out();
        StringBuilder others = new StringBuilder();
        boolean ours = false;
        for (String line : ruleset.split("\n", -1)) {
            if (line.startsWith("table ")) {
                ours = line.endsWith(" ip-masq-agent {");
            }
            if (!ours) {
                others.append(line).append('\n');
            }
            if (line.equals("}")) {
                ours = false;
            }
        }
        return others.toString().replaceAll("counter packets \\d+ bytes \\d+", "counter");
    }

    /**
     * kube-proxy marks packets that need masquerading in mangle/filter and masquerades them in
     * its own nat POSTROUTING rule (iptables-nft here, so both live in nf_tables side by side).
     * Our table returns early for kept destinations, which must leave that rule free to act.
     */
    @Test
    void aKubeProxyLikeMasqueradeForMarkedPacketsKeepsWorkingBesideOurTable() throws Exception {
        try (TrafficIT.Topology t = new TrafficIT.Topology()) {
            t.node.ok("iptables-nft", "-t", "mangle", "-A", "PREROUTING", "-p", "tcp", "-d", INSIDE, "--dport",
                    Integer.toString(MARKED_PORT), "-j", "MARK", "--set-xmark", "0x4000/0x4000");
            t.node.ok("iptables-nft", "-t", "nat", "-A", "POSTROUTING", "-m", "mark", "--mark", "0x4000/0x4000",
                    "-m", "comment", "--comment", "kubernetes service traffic requiring SNAT", "-j", "MASQUERADE");
            String othersBefore = othersTables(t.node);
            assertEquals(NODE_INSIDE, sourceSeenByPeer(t, INSIDE, MARKED_PORT), "the foreign rule works on its own");
            assertEquals(POD, sourceSeenByPeer(t, OUTSIDE));

            agent(t, "--sync-once", "resyncInterval: 60s\n");
            assertEquals(POD, sourceSeenByPeer(t, INSIDE), "kept range, unmarked: pod address");
            assertEquals(NODE_INSIDE, sourceSeenByPeer(t, INSIDE, MARKED_PORT), "kept range, marked: kube-proxy masquerades");
            assertEquals(NODE_OUTSIDE, sourceSeenByPeer(t, OUTSIDE), "outside: our table masquerades");
            assertEquals(othersBefore, othersTables(t.node), "the agent changed another component's tables");

            agent(t, "--sync-once", "forceMasqueradeCIDRs: [172.16.5.0/24]\n");
            assertEquals(NODE_INSIDE, sourceSeenByPeer(t, INSIDE));
            assertEquals(NODE_INSIDE, sourceSeenByPeer(t, INSIDE, MARKED_PORT));
            assertEquals(othersBefore, othersTables(t.node));

            agent(t, "--cleanup", "");
            assertFalse(t.node.ok("nft", "list", "tables").out().contains("ip-masq-agent"));
            assertEquals(othersBefore, othersTables(t.node), "cleanup removed more than our tables");
            assertEquals(POD, sourceSeenByPeer(t, OUTSIDE), "nothing of ours is left to masquerade");
            assertEquals(NODE_INSIDE, sourceSeenByPeer(t, INSIDE, MARKED_PORT), "kube-proxy's rule survives cleanup");
        }
    }

    /**
     * cidrLimit raised to 10,000 with the peer's range last in the list: the whole list is
     * loaded in one go, the last entry is honoured, and the rest still get masqueraded.
     */
    @Test
    void tenThousandCidrsLoadAndTheLastOneIsHonoured() throws Exception {
        StringBuilder doc = new StringBuilder("cidrLimit: 10000\nnonMasqueradeCIDRs:\n");
        for (int i = 0; i < 9_999; i++) {
            // Every other /24 from 100.64.0.0 on: distinct and never adjacent, so none merge away.
            int k = i * 2;
            doc.append("  - 100.").append(64 + k / 256).append('.').append(k % 256).append(".0/24\n");
        }
        doc.append("  - 172.16.5.0/24\n");
        try (TrafficIT.Topology t = new TrafficIT.Topology()) {
            Netns.Result first = agent(t, "--sync-once", doc.toString());
            assertTrue(first.out().contains("non-masquerade: 10000 ranges"), first::toString);
            assertEquals(POD, sourceSeenByPeer(t, INSIDE));
            assertEquals(NODE_OUTSIDE, sourceSeenByPeer(t, OUTSIDE));
            Netns.Result again = agent(t, "--sync-once", doc.toString());
            assertEquals("", again.out(), "an unchanged 10,000-entry set must not be rewritten");
        }
    }
}
