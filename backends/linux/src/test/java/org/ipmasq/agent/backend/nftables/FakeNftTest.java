package org.ipmasq.agent.backend.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.exec.CommandResult;
import org.junit.jupiter.api.Test;

/**
 * The fake against the kernel: each recording of {@link RecordedNft} was made by the agent's own
 * write followed by an operator's nft command; the fake, given the same, must list the same
 * (handles aside). Then the agent's two forms of every rule kind it writes: the statement text,
 * read by the fake as nft reads it, must give exactly the JSON the agent compares with.
 */
class FakeNftTest {

    private static final TableRenderer TO_PORTS_NOT_RANDOM =
            new TableRenderer("ip-masq-agent", false, ToPorts.parse("1024-29999,32768-65535,5"));

    private static FakeNft synced(TableRenderer renderer, FamilyPolicy... families) throws Exception {
        FakeNft nft = new FakeNft();
        MasqPolicy policy = new MasqPolicy(families[0], families.length > 1 ? Optional.of(families[1]) : Optional.empty());
        new NftablesBackend(nft, renderer, Map.of()).sync(policy);
        return nft;
    }

    private static void assertListsAsRecorded(String recorded, FakeNft nft, String family) {
        JsonNode kernel = FakeNft.withoutHandles(FakeNft.parse(recorded));
        assertEquals(kernel, nft.contents(family, "ip-masq-agent").orElseThrow());
    }

    @Test
    void theAgentsTablesListAsTheKernelListedThem() throws Exception {
        FakeNft dual = synced(Policies.renderer(), Policies.defaultV4(), Policies.defaultV6());
        assertListsAsRecorded(RecordedNft.DEFAULT_V4, dual, "ip");
        assertListsAsRecorded(RecordedNft.DEFAULT_V6, dual, "ip6");
        assertListsAsRecorded(RecordedNft.TO_PORTS_V4, synced(TO_PORTS_NOT_RANDOM, Policies.defaultV4()), "ip");
        FamilyPolicy overlapping = Policies.v4(false, List.of("10.100.10.0/24"), List.of("10.0.0.0/8", "10.1.0.0/16",
                "11.0.0.0/8", "192.168.0.0/24", "192.168.1.0/25", "192.168.3.4/32"));
        assertListsAsRecorded(RecordedNft.OVERLAP_V4, synced(Policies.renderer(), overlapping), "ip");
    }

    @Test
    void operatorsChangesListAsTheKernelListedThem() throws Exception {
        FakeNft nft = synced(Policies.renderer(), Policies.defaultV4());
        nft.operator("add element ip ip-masq-agent non-masquerade { 203.0.113.7 }");
        assertListsAsRecorded(RecordedNft.FOREIGN_ELEMENT_V4, nft, "ip");

        nft = synced(Policies.renderer(), Policies.defaultV4());
        nft.operator("insert rule ip ip-masq-agent postrouting ip daddr 203.0.113.7 return");
        assertListsAsRecorded(RecordedNft.FOREIGN_RULE_V4, nft, "ip");

        nft = synced(Policies.renderer(), Policies.defaultV4());
        nft.operator("flush chain ip ip-masq-agent postrouting");
        assertListsAsRecorded(RecordedNft.FLUSHED_CHAIN_V4, nft, "ip");
        nft.operator("flush set ip ip-masq-agent non-masquerade");
        assertListsAsRecorded(RecordedNft.FLUSHED_SET_V4, nft, "ip");

        nft = synced(Policies.renderer(), Policies.defaultV4());
        nft.operator("add chain ip ip-masq-agent postrouting { type nat hook postrouting priority srcnat; policy drop; }");
        assertListsAsRecorded(RecordedNft.DROP_POLICY_V4, nft, "ip");
    }

    @Test
    void aTransactionIsAllOrNothingAndItsErrorNamesTheLine() throws Exception {
        FakeNft nft = synced(Policies.renderer(), Policies.defaultV4());
        JsonNode before = nft.contents("ip", "ip-masq-agent").orElseThrow();
        CommandResult result = nft.run(NftablesBackend.APPLY, "flush set ip ip-masq-agent non-masquerade\n"
                + "add rule ip ip-masq-agent postrouting ip daddr @no-such-set return\n");
        assertFalse(result.succeeded());
        assertEquals("/dev/stdin:2:1-66: Error: Could not process rule: No such file or directory\n"
                + "add rule ip ip-masq-agent postrouting ip daddr @no-such-set return\n", result.stderr());
        assertEquals(before, nft.contents("ip", "ip-masq-agent").orElseThrow(), "the flush on line 1 was kept");
    }

    @Test
    void referencesHoldAsInTheKernel() throws Exception {
        FakeNft nft = synced(Policies.renderer(), Policies.defaultV4());
        for (String refused : List.of("delete set ip ip-masq-agent non-masquerade",
                "delete chain ip ip-masq-agent do-masquerade",
                "delete chain ip ip-masq-agent postrouting",
                "add rule ip ip-masq-agent postrouting goto nowhere",
                "add element ip ip-masq-agent non-masquerade { fd00::/8 }")) {
            assertFalse(nft.run(NftablesBackend.APPLY, refused + "\n").succeeded(), refused);
        }
        nft.operator("flush chain ip ip-masq-agent postrouting\nflush chain ip ip-masq-agent do-masquerade\n"
                + "delete chain ip ip-masq-agent do-masquerade\ndelete set ip ip-masq-agent non-masquerade");
        assertEquals(List.of("force-masquerade"), setNames(nft));
    }

    @Test
    void anIntervalSetMergesWhatOverlapsOrTouches() throws Exception {
        FakeNft nft = synced(Policies.renderer(), Policies.v4(true, List.of(), List.of()));
        nft.operator("add element ip ip-masq-agent non-masquerade { 10.0.0.0/9, 10.128.0.0/9, 10.1.0.0/16, 192.168.0.5 }");
        nft.operator("add element ip ip-masq-agent non-masquerade { 192.168.0.6-192.168.0.9 }");
        JsonNode set = nft.contents("ip", "ip-masq-agent").orElseThrow().get("nftables").get(1).get("set");
        assertEquals(FakeNft.parse("[{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 8}},"
                + " {\"range\": [\"192.168.0.5\", \"192.168.0.9\"]}]"), set.get("elem"));
    }

    private static List<String> setNames(FakeNft nft) {
        List<String> names = new ArrayList<>();
        for (JsonNode object : nft.contents("ip", "ip-masq-agent").orElseThrow().get("nftables")) {
            if (object.has("set")) {
                names.add(object.get("set").get("name").asText());
            }
        }
        return names;
    }

    /**
     * Every rule kind the agent writes, in every variant its flags give: the text it writes, as nft
     * reads it, is the JSON it compares the kernel's copy with. A rule whose two forms disagreed
     * would be rewritten on every resync.
     */
    @Test
    void everyRuleKindsTextAndJsonAgree() throws Exception {
        List<TableRenderer> renderers = List.of(Policies.renderer(), TO_PORTS_NOT_RANDOM,
                new TableRenderer("ip-masq-agent", true, ToPorts.parse("1024-65535")),
                new TableRenderer("ip-masq-agent", true, ToPorts.parse("7,100-200,300")));
        List<FamilyPolicy> policies = List.of(Policies.defaultV4(), Policies.v4(false, List.of("10.100.10.0/24"), List.of()),
                Policies.defaultV6(), new FamilyPolicy(IpFamily.IPV6, false, Policies.cidrs("fd00::/8"), List.of()));
        int checked = 0;
        for (TableRenderer renderer : renderers) {
            for (FamilyPolicy policy : policies) {
                for (WantedChain chain : renderer.wanted(policy).chains()) {
                    for (NftRule rule : chain.rules()) {
                        JsonNode read = FakeNft.RuleStatements.parse(rule.statement());
                        assertEquals(rule.expr(), JsonCanon.of(read), rule.statement());
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 50, "rules checked: " + checked);
    }
}
