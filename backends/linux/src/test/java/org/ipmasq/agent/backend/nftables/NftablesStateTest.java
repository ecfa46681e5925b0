package org.ipmasq.agent.backend.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.SyncReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend against {@link FakeNft}, which holds state as the kernel does: a second sync writes
 * nothing, and each kind of drift is repaired with the least write the planner knows (a set
 * refilled, a chain refilled, the table recreated only for a structural change), after which the
 * table is exactly as a fresh sync leaves it and the next sync is idle again.
 */
class NftablesStateTest {

    private static final MasqPolicy DUAL = new MasqPolicy(Policies.defaultV4(), Optional.of(Policies.defaultV6()));

    private final FakeNft nft = new FakeNft();
    private final NftablesBackend backend = new NftablesBackend(nft, Policies.renderer(), Map.of());
    private JsonNode cleanV4;
    private JsonNode cleanV6;

    @BeforeEach
    void syncOnce() throws Exception {
        assertTrue(backend.sync(DUAL).wrote());
        cleanV4 = nft.contents("ip", "ip-masq-agent").orElseThrow();
        cleanV6 = nft.contents("ip6", "ip-masq-agent").orElseThrow();
    }

    @Test
    void aSecondSyncWritesNothing() throws Exception {
        int writes = nft.transactions.size();
        SyncReport again = backend.sync(DUAL);
        assertFalse(again.wrote());
        assertEquals(writes, nft.transactions.size());
        assertEquals(cleanV4, nft.contents("ip", "ip-masq-agent").orElseThrow());
    }

    /** Applies the drift, syncs, and returns the one transaction the repair wrote. */
    private String repair(String drift, String expectedKind) throws Exception {
        nft.operator(drift);
        assertTrue(!cleanV4.equals(nft.contents("ip", "ip-masq-agent").orElse(null)), "the drift changed nothing");
        int before = nft.transactions.size();
        SyncReport report = backend.sync(DUAL);
        assertEquals(before + 1, nft.transactions.size());
        assertEquals(List.of(expectedKind), report.changes().stream().map(Change::kind).toList(),
                report.changes().toString());
        assertEquals(cleanV4, nft.contents("ip", "ip-masq-agent").orElseThrow(), "repaired to the fresh table");
        assertEquals(cleanV6, nft.contents("ip6", "ip-masq-agent").orElseThrow(), "the other family untouched");
        assertFalse(backend.sync(DUAL).wrote(), "the sync after a repair is idle");
        return nft.transactions.get(before);
    }

    private static final String REFILL_NON_MASQUERADE = "flush set ip ip-masq-agent non-masquerade\n"
            + "add element ip ip-masq-agent non-masquerade {\n\t10.0.0.0/8,\n\t172.16.0.0/12,\n\t192.168.0.0/16\n}\n";

    @Test
    void aRemovedSetElementIsPutBackByRefillingThatSetAlone() throws Exception {
        assertEquals(REFILL_NON_MASQUERADE, repair("delete element ip ip-masq-agent non-masquerade { 172.16.0.0/12 }",
                "set_updated"));
    }

    @Test
    void anAddedSetElementIsTakenOutByRefillingThatSetAlone() throws Exception {
        assertEquals(REFILL_NON_MASQUERADE, repair("add element ip ip-masq-agent non-masquerade { 203.0.113.0/24 }",
                "set_updated"));
        assertEquals("flush set ip ip-masq-agent force-masquerade\n",
                repair("add element ip ip-masq-agent force-masquerade { 198.51.100.7 }", "set_updated"));
    }

    @Test
    void aWidenedElementIsNarrowedBack() throws Exception {
        // auto-merge joins 10.0.0.0/8 and 11.0.0.0/8 into 10.0.0.0/7: the same element count, other addresses
        assertEquals(REFILL_NON_MASQUERADE, repair("add element ip ip-masq-agent non-masquerade { 11.0.0.0/8 }",
                "set_updated"));
    }

    private static List<String> lines(String transaction) {
        return transaction.lines().toList();
    }

    /** Deletes one postrouting rule; the repair refills that chain alone, its five rules in order. */
    private void assertPostroutingRefilledAfterDeleting(String statement) throws Exception {
        int handle = nft.ruleHandle("ip", "ip-masq-agent", TableRenderer.POSTROUTING, statement);
        List<String> written = lines(repair("delete rule ip ip-masq-agent postrouting handle " + handle,
                "chain_rewritten"));
        assertEquals("flush chain ip ip-masq-agent postrouting", written.get(0));
        assertEquals(6, written.size(), written.toString());
        assertTrue(written.subList(1, 6).stream().allMatch(l -> l.startsWith("add rule ip ip-masq-agent postrouting ")));
    }

    @Test
    void aRemovedRuleIsPutBackByRefillingItsChainAlone() throws Exception {
        assertPostroutingRefilledAfterDeleting("ip daddr @non-masquerade return");
    }

    @Test
    void aRemovedJumpToTheMasqueradeChainIsPutBack() throws Exception {
        assertPostroutingRefilledAfterDeleting("goto do-masquerade");
    }

    @Test
    void aForeignRuleIsTakenOut() throws Exception {
        List<String> written = lines(repair("insert rule ip ip-masq-agent do-masquerade ip daddr 203.0.113.7 return",
                "chain_rewritten"));
        assertEquals(List.of("flush chain ip ip-masq-agent do-masquerade",
                "add rule ip ip-masq-agent do-masquerade masquerade fully-random"), written);
    }

    @Test
    void aFlushedChainIsRefilled() throws Exception {
        List<String> written = lines(repair("flush chain ip ip-masq-agent do-masquerade", "chain_rewritten"));
        assertEquals(List.of("flush chain ip ip-masq-agent do-masquerade",
                "add rule ip ip-masq-agent do-masquerade masquerade fully-random"), written);
    }

    /** Structural drift: the planner recreates the table in the same transaction. */
    private void assertRecreated(String transaction) {
        assertTrue(transaction.startsWith("add table ip ip-masq-agent\ndelete table ip ip-masq-agent\n"
                + "add table ip ip-masq-agent\n"), transaction);
        assertFalse(transaction.contains("ip6"), "only the family that drifted: " + transaction);
    }

    @Test
    void aRemovedChainRecreatesTheTable() throws Exception {
        assertRecreated(repair("flush chain ip ip-masq-agent postrouting\nflush chain ip ip-masq-agent do-masquerade\n"
                + "delete chain ip ip-masq-agent do-masquerade", "table_recreated"));
    }

    @Test
    void aRemovedSetRecreatesTheTable() throws Exception {
        assertRecreated(repair("flush chain ip ip-masq-agent postrouting\ndelete set ip ip-masq-agent force-masquerade",
                "table_recreated"));
    }

    @Test
    void aForeignChainRecreatesTheTable() throws Exception {
        assertRecreated(repair("add chain ip ip-masq-agent foo", "table_recreated"));
    }

    @Test
    void aChangedChainPolicyRecreatesTheTable() throws Exception {
        assertRecreated(repair("add chain ip ip-masq-agent postrouting { type nat hook postrouting priority srcnat; "
                + "policy drop; }", "table_recreated"));
    }

    @Test
    void aDormantTableIsRecreated() throws Exception {
        assertRecreated(repair("add table ip ip-masq-agent { flags dormant; }", "table_recreated"));
    }

    @Test
    void aRemovedTableIsCreatedAndNothingElseIsWritten() throws Exception {
        String written = repair("delete table ip ip-masq-agent", "table_created");
        assertTrue(written.startsWith("add table ip ip-masq-agent\nadd set"), written);
        assertFalse(written.contains("delete") || written.contains("ip6"), written);
    }

    @Test
    void aConfigChangeRefillsOnlyTheSetsItChanged() throws Exception {
        MasqPolicy moreCidrs = new MasqPolicy(Policies.v4(true, List.of(), List.of("10.0.0.0/8", "100.64.0.0/10")),
                Optional.of(Policies.defaultV6()));
        SyncReport report = backend.sync(moreCidrs);
        assertEquals(List.of("IPv4: set non-masquerade updated: +100.64.0.0/10, -172.16.0.0/12, -192.168.0.0/16"),
                report.changes().stream().map(Change::description).toList());
        assertEquals("flush set ip ip-masq-agent non-masquerade\n"
                + "add element ip ip-masq-agent non-masquerade {\n\t10.0.0.0/8,\n\t100.64.0.0/10\n}\n",
                nft.transactions.get(nft.transactions.size() - 1));
        assertFalse(backend.sync(moreCidrs).wrote());
    }

    @Test
    void cleanupLeavesNoTableAndASecondCleanupWritesNothing() throws Exception {
        assertTrue(backend.cleanup().wrote());
        assertEquals(Optional.empty(), nft.contents("ip", "ip-masq-agent"));
        assertEquals(Optional.empty(), nft.contents("ip6", "ip-masq-agent"));
        int writes = nft.transactions.size();
        assertFalse(backend.cleanup().wrote());
        assertEquals(writes, nft.transactions.size());
    }
}
