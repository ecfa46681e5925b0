package org.ipmasq.agent.backend.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.FamilyPolicy;
import org.junit.jupiter.api.Test;

/**
 * The planner against tables recorded from a real kernel: what we render must equal what the
 * kernel prints back (else every idle resync would write), and each kind of drift must be
 * repaired with the smallest transaction that fixes it.
 */
class TablePlanTest {

    private static TablePlan plan(String recorded, FamilyPolicy policy) throws Exception {
        return plan(recorded, Policies.renderer(), policy);
    }

    private static TablePlan plan(String recorded, TableRenderer renderer, FamilyPolicy policy) throws Exception {
        return TablePlan.sync(HeldTable.parse(recorded), renderer.wanted(policy));
    }

    private static List<String> kinds(TablePlan plan) {
        return plan.changes().stream().map(Change::kind).toList();
    }

    private static List<String> descriptions(TablePlan plan) {
        return plan.changes().stream().map(Change::description).toList();
    }

    @Test
    void whatTheKernelPrintsBackForOurTablesNeedsNoWrite() throws Exception {
        assertEquals(List.of(), plan(RecordedNft.DEFAULT_V4, Policies.defaultV4()).commands());
        assertEquals(List.of(), plan(RecordedNft.DEFAULT_V6, Policies.defaultV6()).commands());
        TableRenderer toPorts = new TableRenderer("ip-masq-agent", false, ToPorts.parse("1024-29999,32768-65535,5"));
        assertEquals(List.of(), plan(RecordedNft.TO_PORTS_V4, toPorts, Policies.defaultV4()).commands());
    }

    @Test
    void overlappingAndAdjacentInputMatchesTheKernelsMergedSet() throws Exception {
        FamilyPolicy overlapping = Policies.v4(false, List.of("10.100.10.0/24"), List.of("10.0.0.0/8", "10.1.0.0/16",
                "11.0.0.0/8", "192.168.0.0/24", "192.168.1.0/25", "192.168.3.4/32"));
        assertEquals(List.of(), plan(RecordedNft.OVERLAP_V4, overlapping).commands());
        // The same addresses written another way are the same set.
        FamilyPolicy sameAddresses = Policies.v4(false, List.of("10.100.10.0/24"), List.of("10.0.0.0/7",
                "192.168.0.0/24", "192.168.1.0/26", "192.168.1.64/26", "192.168.3.4/32"));
        assertEquals(List.of(), plan(RecordedNft.OVERLAP_V4, sameAddresses).commands());
    }

    @Test
    void aMissingTableIsCreatedWhole() {
        TablePlan plan = TablePlan.sync(HeldTable.ABSENT, Policies.renderer().wanted(Policies.defaultV4()));
        assertEquals(List.of("table_created"), kinds(plan));
        assertEquals("add table ip ip-masq-agent", plan.commands().get(0));
        assertEquals(List.of("table ip ip-masq-agent created (non-masquerade: 3 ranges, force-masquerade: 0 ranges)"),
                descriptions(plan));
    }

    @Test
    void aForeignElementIsRemovedByRefillingOnlyThatSet() throws Exception {
        TablePlan plan = plan(RecordedNft.FOREIGN_ELEMENT_V4, Policies.defaultV4());
        assertEquals(List.of("flush set ip ip-masq-agent non-masquerade",
                "add element ip ip-masq-agent non-masquerade {\n\t10.0.0.0/8,\n\t172.16.0.0/12,\n\t192.168.0.0/16\n}"),
                plan.commands());
        assertEquals(List.of("set non-masquerade updated: -203.0.113.7"), descriptions(plan));
    }

    @Test
    void anElementWithACommentCountsAsForeign() throws Exception {
        TablePlan plan = plan(RecordedNft.COMMENT_ELEMENT_V4, Policies.defaultV4());
        assertEquals(List.of("set_updated"), kinds(plan));
        assertEquals(List.of("set non-masquerade updated: unreadable elements replaced"), descriptions(plan));
    }

    @Test
    void aFlushedSetIsRefilled() throws Exception {
        TablePlan plan = plan(RecordedNft.FLUSHED_SET_V4, Policies.defaultV4());
        // The recording also has the postrouting chain flushed (taken after the chain drift).
        assertEquals(List.of("set_updated", "chain_rewritten"), kinds(plan));
        assertEquals("set non-masquerade updated: +10.0.0.0/8, +172.16.0.0/12, +192.168.0.0/16", descriptions(plan).get(0));
    }

    @Test
    void aForeignRuleMakesOnlyItsChainRewritten() throws Exception {
        TablePlan plan = plan(RecordedNft.FOREIGN_RULE_V4, Policies.defaultV4());
        assertEquals(List.of("chain_rewritten"), kinds(plan));
        assertEquals(List.of("chain postrouting rewritten: held 6 rules, 5 wanted"), descriptions(plan));
        assertEquals("flush chain ip ip-masq-agent postrouting", plan.commands().get(0));
        assertEquals(6, plan.commands().size());
        assertTrue(plan.commands().subList(1, 6).stream().allMatch(c -> c.startsWith("add rule ip ip-masq-agent postrouting ")));
    }

    @Test
    void aFlushedChainIsRefilled() throws Exception {
        TablePlan plan = plan(RecordedNft.FLUSHED_CHAIN_V4, Policies.defaultV4());
        assertEquals(List.of("chain postrouting rewritten: held 0 rules, 5 wanted"), descriptions(plan));
    }

    @Test
    void objectsWeNeverCreateOrAWrongHookRecreateTheTableInOneTransaction() throws Exception {
        TablePlan foreign = plan(RecordedNft.FOREIGN_OBJECTS_V4, Policies.defaultV4());
        assertEquals(List.of("table_recreated"), kinds(foreign));
        String why = descriptions(foreign).get(0);
        assertTrue(why.contains("unexpected map m") && why.contains("unexpected chain foo"), why);
        assertEquals(List.of("add table ip ip-masq-agent", "delete table ip ip-masq-agent", "add table ip ip-masq-agent"),
                foreign.commands().subList(0, 3));
        assertEquals(TablePlan.sync(HeldTable.ABSENT, Policies.renderer().wanted(Policies.defaultV4())).commands(),
                foreign.commands().subList(2, foreign.commands().size()));

        assertTrue(descriptions(plan(RecordedNft.DORMANT_V4, Policies.defaultV4())).get(0).contains("unexpected table flags"));
        assertEquals(List.of("table ip ip-masq-agent recreated: chain postrouting is hooked as nat postrouting priority 100 "
                + "policy drop"), descriptions(plan(RecordedNft.DROP_POLICY_V4, Policies.defaultV4())));
    }

    @Test
    void aConfigChangeTouchesOnlyWhatChanged() throws Exception {
        TablePlan cidrs = plan(RecordedNft.DEFAULT_V4, Policies.v4(true, List.of(), List.of("10.0.0.0/8", "100.64.0.0/10")));
        assertEquals(List.of("set non-masquerade updated: +100.64.0.0/10, -172.16.0.0/12, -192.168.0.0/16"),
                descriptions(cidrs));
        TablePlan forced = plan(RecordedNft.DEFAULT_V4, Policies.v4(true, List.of("10.100.10.0/24"), Policies.DEFAULTS));
        assertEquals(List.of("flush set ip ip-masq-agent force-masquerade",
                "add element ip ip-masq-agent force-masquerade {\n\t10.100.10.0/24\n}"), forced.commands());
        TablePlan linkLocal = plan(RecordedNft.DEFAULT_V4, Policies.v4(false, List.of(), Policies.DEFAULTS));
        assertEquals(List.of("chain postrouting rewritten: held 5 rules, 4 wanted"), descriptions(linkLocal));
        TablePlan ports = plan(RecordedNft.DEFAULT_V4, new TableRenderer("ip-masq-agent", true, ToPorts.parse("1024-65535")),
                Policies.defaultV4());
        assertEquals(List.of("chain do-masquerade rewritten: held 1 rule, 4 wanted"), descriptions(ports));
    }

    @Test
    void cleanupDeletesOurTableOnlyWhenItExists() throws Exception {
        assertTrue(TablePlan.cleanup(HeldTable.ABSENT, "ip ip-masq-agent").isEmpty());
        TablePlan plan = TablePlan.cleanup(HeldTable.parse(RecordedNft.FOREIGN_OBJECTS_V4), "ip ip-masq-agent");
        assertEquals(List.of("delete table ip ip-masq-agent"), plan.commands());
        assertEquals(List.of("table_deleted"), kinds(plan));
    }

    @Test
    void longDifferencesNameTheFirstFewAndCountTheRest() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add("10." + (i * 2) + ".0.0/16");
        }
        String text = TablePlan.difference(AddressRanges.EMPTY, AddressRanges.of(Policies.cidrs(many.toArray(String[]::new))));
        assertTrue(text.startsWith("+10.0.0.0/16, +10.2.0.0/16,"), text);
        assertTrue(text.endsWith(" and 12 more"), text);
    }
}
