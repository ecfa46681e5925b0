package org.ipmasq.agent.backend.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.SyncReport;
import org.junit.jupiter.api.Test;

class NftablesBackendTest {

    private final StubNft nft = new StubNft();
    private final NftablesBackend backend = new NftablesBackend(nft, Policies.renderer(), Map.of());

    private static final MasqPolicy DUAL = new MasqPolicy(Policies.defaultV4(), Optional.of(Policies.defaultV6()));
    private static final MasqPolicy V4 = new MasqPolicy(Policies.defaultV4(), Optional.empty());

    private static List<String> descriptions(SyncReport report) {
        return report.changes().stream().map(Change::description).toList();
    }

    @Test
    void bothFamiliesAreCreatedInOneTransaction() throws Exception {
        SyncReport report = backend.sync(DUAL);
        assertEquals(1, nft.transactions.size());
        String transaction = nft.transactions.get(0);
        assertTrue(transaction.startsWith("add table ip ip-masq-agent\n"), transaction);
        assertTrue(transaction.contains("\nadd table ip6 ip-masq-agent\n"), transaction);
        assertEquals(List.of("IPv4: table ip ip-masq-agent created (non-masquerade: 3 ranges, force-masquerade: 0 ranges)",
                "IPv6: table ip6 ip-masq-agent created (non-masquerade: 0 ranges, force-masquerade: 0 ranges)"),
                descriptions(report));
    }

    @Test
    void anIdleSyncReadsButNeverWrites() throws Exception {
        nft.tables.put("ip", RecordedNft.DEFAULT_V4);
        nft.tables.put("ip6", RecordedNft.DEFAULT_V6);
        assertFalse(backend.sync(DUAL).wrote());
        assertEquals(List.of(), nft.transactions);
        assertEquals(List.of(List.of("nft", "-j", "list", "table", "ip", "ip-masq-agent"),
                List.of("nft", "-j", "list", "table", "ip6", "ip-masq-agent")), nft.calls);
        assertEquals("# nft: nothing to change\n", backend.plan(DUAL));
    }

    @Test
    void onlyTheFamilyThatDriftedIsInTheTransaction() throws Exception {
        nft.tables.put("ip", RecordedNft.FOREIGN_ELEMENT_V4);
        nft.tables.put("ip6", RecordedNft.DEFAULT_V6);
        SyncReport report = backend.sync(DUAL);
        assertEquals(List.of("IPv4: set non-masquerade updated: -203.0.113.7"), descriptions(report));
        assertEquals(List.of("set_updated"), report.changes().stream().map(Change::kind).toList());
        assertEquals("flush set ip ip-masq-agent non-masquerade\n"
                + "add element ip ip-masq-agent non-masquerade {\n\t10.0.0.0/8,\n\t172.16.0.0/12,\n\t192.168.0.0/16\n}\n",
                nft.transactions.get(0));
    }

    @Test
    void dryRunPrintsTheExactTransactionAndWritesNothing() throws Exception {
        nft.tables.put("ip", RecordedNft.FOREIGN_ELEMENT_V4);
        String plan = backend.plan(V4);
        assertEquals(List.of(), nft.transactions);
        backend.sync(V4);
        assertEquals("# nft -f -\n" + nft.transactions.get(0), plan);
    }

    @Test
    void aFailedWriteIsAnErrorWithNftsFirstLineAndTheInputLineItNames() {
        nft.writeError = "/dev/stdin:1:1-26: Error: Could not process rule: Operation not permitted";
        BackendException e = assertThrows(BackendException.class, () -> backend.sync(V4));
        assertEquals("nft -f - exited 1: /dev/stdin:1:1-26: Error: Could not process rule: Operation not permitted; "
                + "line 1: add table ip ip-masq-agent", e.getMessage());
    }

    @Test
    void aReadErrorOtherThanAMissingTableIsNotMistakenForAnEmptyNode() {
        nft.readError = "Error: cache initialization failed: Operation not permitted";
        BackendException e = assertThrows(BackendException.class, () -> backend.sync(V4));
        assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
        assertEquals(List.of(), nft.transactions);
    }

    /** nft 1.0.6 prints broken JSON for a dormant table: that must lead to a repair, not a stuck agent. */
    @Test
    void anUnreadableListingOfAnExistingTableRecreatesIt() throws Exception {
        nft.tables.put("ip", "{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"ip-masq-agent\", \"flags\": ");
        SyncReport report = backend.sync(V4);
        assertEquals(List.of("table_recreated"), report.changes().stream().map(Change::kind).toList());
        assertTrue(descriptions(report).get(0).startsWith("IPv4: table ip ip-masq-agent recreated: nft -j printed invalid JSON"),
                descriptions(report).get(0));
        assertTrue(nft.transactions.get(0).startsWith("add table ip ip-masq-agent\ndelete table ip ip-masq-agent\n"));
    }

    @Test
    void cleanupDeletesWhicheverOfBothTablesExistsEvenWithoutIpv6() throws Exception {
        assertFalse(backend.cleanup().wrote());
        assertEquals("# nft: nothing to change\n", backend.planCleanup());
        nft.tables.put("ip6", RecordedNft.DEFAULT_V6);
        assertEquals("# nft -f -\ndelete table ip6 ip-masq-agent\n", backend.planCleanup());
        assertEquals(List.of("IPv6: table ip6 ip-masq-agent deleted"), descriptions(backend.cleanup()));
        assertEquals(List.of("delete table ip6 ip-masq-agent\n"), nft.transactions);
    }
}
