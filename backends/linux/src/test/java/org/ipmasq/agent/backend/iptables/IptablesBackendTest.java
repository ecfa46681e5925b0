package org.ipmasq.agent.backend.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.SyncReport;
import org.junit.jupiter.api.Test;

class IptablesBackendTest {

    private final FakeIptables fake = FakeIptables.nftOnly();
    private final RuleRenderer renderer = new RuleRenderer("IP-MASQ-AGENT", true, ToPorts.NONE);

    private IptablesBackend backend(boolean ipv6) {
        return new IptablesBackend(fake, IptablesMode.NFT, "test", renderer, true, ipv6);
    }

    private static MasqPolicy policy(String... nonMasq) throws Exception {
        return new MasqPolicy(new FamilyPolicy(IpFamily.IPV4, true, List.of(), RuleRendererTest.cidrs(nonMasq)),
                Optional.empty());
    }

    private static List<String> descriptions(SyncReport report) {
        return report.changes().stream().map(Change::description).toList();
    }

    private List<String> chain() {
        return fake.rules("iptables-nft", "IP-MASQ-AGENT");
    }

    private List<String> postrouting() {
        return fake.rules("iptables-nft", "POSTROUTING");
    }

    /**
     * Metrics export each declared change kind and tally at 0 from the start (issue 22); a kind a
     * sync reports without declaring it would appear only with its first event, which alerts
     * cannot see. Every way a node can drift, and a config change, reported within the declared.
     */
    @Test
    void everyChangeKindAndTallyASyncReportsIsDeclaredForTheMetrics() throws Exception {
        IptablesBackend backend = backend(false);
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        java.util.Set<org.ipmasq.agent.core.Tally> tallies = new java.util.HashSet<>();
        java.util.function.Consumer<SyncReport> collect = report -> {
            report.changes().forEach(c -> kinds.add(c.kind()));
            tallies.addAll(report.tallies().keySet());
        };
        collect.accept(backend.sync(policy("10.0.0.0/8"))); // a fresh node
        collect.accept(backend.sync(policy("10.0.0.0/8", "172.16.0.0/12"))); // a config change
        String jump = postrouting().stream().filter(r -> r.contains("IP-MASQ-AGENT")).findFirst().orElseThrow();
        postrouting().add(jump); // a second jump, as an older agent may leave
        collect.accept(backend.sync(policy("10.0.0.0/8", "172.16.0.0/12")));
        postrouting().removeIf(r -> r.contains("IP-MASQ-AGENT")); // the jump flushed
        collect.accept(backend.sync(policy("10.0.0.0/8", "172.16.0.0/12")));
        chain().add(0, chain().get(0)); // a stray rule in the chain
        collect.accept(backend.sync(policy("10.0.0.0/8", "172.16.0.0/12")));

        org.ipmasq.agent.core.ReportKinds declared = backend.reportKinds();
        assertTrue(kinds.size() >= 3, "the scenarios reached several kinds: " + kinds);
        assertTrue(declared.syncChangeKinds().containsAll(kinds),
                "reported " + kinds + ", declared " + declared.syncChangeKinds());
        assertTrue(declared.tallies().containsAll(tallies), "counted " + tallies + ", declared " + declared.tallies());
    }

    @Test
    void firstSyncCreatesChainAndOneJumpInOneRestore() throws Exception {
        MasqPolicy policy = policy("10.0.0.0/8");
        SyncReport report = backend(false).sync(policy);
        assertEquals(renderer.chainRules(policy.ipv4()), chain());
        assertEquals(List.of(renderer.jumpRule()), postrouting());
        assertEquals(1, fake.restores.size());
        assertTrue(fake.restores.get(0).startsWith("*nat\n:IP-MASQ-AGENT - [0:0]\n"), fake.restores.get(0));
        assertEquals(List.of("IPv4: chain IP-MASQ-AGENT created with 3 rules", "IPv4: POSTROUTING jump added"),
                descriptions(report));
    }

    @Test
    void repeatedSyncsWriteNothingAndKeepExactlyOneJump() throws Exception {
        MasqPolicy policy = policy("10.0.0.0/8");
        IptablesBackend backend = backend(false);
        backend.sync(policy);
        for (int i = 0; i < 3; i++) {
            assertFalse(backend.sync(policy).wrote());
        }
        assertEquals(1, fake.restores.size());
        assertEquals(1, postrouting().size());
        assertEquals("", backend.plan(policy).lines().filter(l -> !l.startsWith("#")).reduce("", String::concat));
    }

    @Test
    void configChangeRewritesTheChainAndSaysWhichRangesMoved() throws Exception {
        IptablesBackend backend = backend(false);
        backend.sync(policy("10.0.0.0/8", "172.16.0.0/12"));
        SyncReport report = backend.sync(policy("10.0.0.0/8", "192.168.0.0/16"));
        assertEquals(List.of("IPv4: chain IP-MASQ-AGENT rewritten: +RETURN 192.168.0.0/16, -RETURN 172.16.0.0/12"),
                descriptions(report));
        assertEquals(renderer.chainRules(policy("10.0.0.0/8", "192.168.0.0/16").ipv4()), chain());
        assertEquals(1, postrouting().size());
    }

    @Test
    void takesOverTheOriginalsJumpsIncludingTheQuotedComment() throws Exception {
        String quoted = "-A POSTROUTING -m comment --comment \"\\\"ip-masq-agent: ensure nat POSTROUTING directs all "
                + "non-LOCAL destination traffic to our custom IP-MASQ-AGENT chain\\\"\" -m addrtype ! --dst-type LOCAL "
                + "-j IP-MASQ-AGENT";
        fake.table("iptables-nft").put("IP-MASQ-AGENT", new ArrayList<>(List.of("-A IP-MASQ-AGENT -j MASQUERADE")));
        postrouting().add(quoted);
        postrouting().add(renderer.jumpRule());
        postrouting().add("-A POSTROUTING -j KUBE-POSTROUTING");
        SyncReport report = backend(false).sync(policy("10.0.0.0/8"));
        assertEquals(List.of(renderer.jumpRule(), "-A POSTROUTING -j KUBE-POSTROUTING").stream().sorted().toList(),
                postrouting().stream().sorted().toList());
        assertEquals(renderer.chainRules(policy("10.0.0.0/8").ipv4()), chain());
        assertTrue(descriptions(report).contains("IPv4: removed 1 stale or duplicate POSTROUTING jump"), report.changes().toString());
    }

    @Test
    void duplicateJumpsCollapseToOne() throws Exception {
        postrouting().add(renderer.jumpRule());
        postrouting().add(renderer.jumpRule());
        backend(false).sync(policy("10.0.0.0/8"));
        assertEquals(List.of(renderer.jumpRule()), postrouting());
    }

    @Test
    void ipv6FamilyIsWrittenWithIp6tablesOnlyWhenEnabled() throws Exception {
        MasqPolicy both = new MasqPolicy(policy("10.0.0.0/8").ipv4(),
                Optional.of(new FamilyPolicy(IpFamily.IPV6, true, List.of(), RuleRendererTest.cidrs("fd00::/8"))));
        backend(true).sync(both);
        assertEquals(3, fake.rules("ip6tables-nft", "IP-MASQ-AGENT").size());
        assertTrue(fake.rules("ip6tables-nft", "IP-MASQ-AGENT").get(0).contains("-d fe80::/10 "));
    }

    @Test
    void dryRunIsExactlyTheRestoreInputAndWorksWithoutAReadableTable() throws Exception {
        MasqPolicy policy = policy("10.0.0.0/8");
        IptablesBackend backend = backend(false);
        String plan = backend.plan(policy);
        assertEquals("# iptables-nft-restore --noflush --wait=5\n*nat\n:IP-MASQ-AGENT - [0:0]\n"
                + String.join("\n", renderer.chainRules(policy.ipv4())) + "\n" + renderer.jumpRule() + "\nCOMMIT\n", plan);
        assertEquals(List.of(), fake.restores, "a dry run writes nothing");

        fake.failSaves = true;
        String blind = backend.plan(policy);
        assertTrue(blind.startsWith("# cannot read the current table (iptables-nft -t nat -S POSTROUTING exited 4: "
                + "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied"), blind);
        assertTrue(blind.endsWith(plan), blind);
        assertThrows(BackendException.class, () -> backend.sync(policy), "a real sync must not guess");
    }

    @Test
    void anUnlistablePostroutingIsAnErrorButAnUnlistableChainOfOursIsRewritten() throws Exception {
        MasqPolicy policy = policy("10.0.0.0/8");
        IptablesBackend backend = backend(false);
        backend.sync(policy);
        fake.incompatible.add("POSTROUTING");
        BackendException e = assertThrows(BackendException.class, () -> backend.sync(policy));
        assertTrue(e.getMessage().contains("iptables-nft -t nat -S POSTROUTING exited 1"), e.getMessage());
        assertEquals(1, fake.restores.size(), "nothing written on a POSTROUTING the agent cannot see");

        fake.incompatible.clear();
        fake.incompatible.add("IP-MASQ-AGENT");
        backend.sync(policy);
        assertEquals(2, fake.restores.size());
        assertTrue(fake.restores.get(1).startsWith("*nat\n:IP-MASQ-AGENT - [0:0]\n"), fake.restores.get(1));
        assertEquals(List.of(renderer.jumpRule()), postrouting(), "still exactly one jump");
    }

    @Test
    void failedRestoreLeavesTheTableAsItWasAndSaysWhy() throws Exception {
        IptablesBackend backend = backend(false);
        backend.sync(policy("10.0.0.0/8"));
        List<String> before = List.copyOf(chain());
        fake.failRestores = true;
        BackendException e = assertThrows(BackendException.class, () -> backend.sync(policy("192.168.0.0/16")));
        assertTrue(e.getMessage().contains("iptables-nft-restore --noflush --wait=5 exited 1"), e.getMessage());
        assertEquals(before, chain());
        // the fake fails at line 2, as iptables-restore would: the error quotes that input line
        String secondLine = fake.restores.get(fake.restores.size() - 1).lines().skip(1).findFirst().orElseThrow();
        assertTrue(e.getMessage().endsWith("line 2 failed; line 2: " + secondLine), e.getMessage());
    }

    @Test
    void cleanupRemovesJumpAndChainAndIsIdempotent() throws Exception {
        IptablesBackend backend = backend(false);
        backend.sync(policy("10.0.0.0/8"));
        SyncReport report = backend.cleanup();
        assertFalse(fake.table("iptables-nft").containsKey("IP-MASQ-AGENT"));
        assertEquals(List.of(), postrouting());
        assertTrue(descriptions(report).contains("IPv4: deleted chain IP-MASQ-AGENT"), report.changes().toString());
        assertFalse(backend.cleanup().wrote());
    }

    @Test
    void modeDetectionFollowsTheKubeletsChainsWithoutReadingAWholeTable() throws Exception {
        FakeIptables both = new FakeIptables(Set.of("iptables-nft", "ip6tables-nft", "iptables-legacy", "ip6tables-legacy"));
        both.legacyTableNames = "nat\nmangle\n";
        both.mangle.put("iptables-legacy", Set.of("KUBE-KUBELET-CANARY"));
        ModeDetector.Choice choice = new ModeDetector(both).choose(IptablesModeOption.AUTO);
        assertEquals(IptablesMode.LEGACY, choice.mode());
        assertEquals("the kubelet's KUBE-KUBELET-CANARY chain is in iptables-legacy mangle", choice.reason());

        both.mangle.put("ip6tables-nft", Set.of("KUBE-IPTABLES-HINT"));
        choice = new ModeDetector(both).choose(IptablesModeOption.AUTO);
        assertEquals(IptablesMode.NFT, choice.mode(), "nf_tables is asked first, as the kubelet's wrappers do");
        assertEquals("the kubelet's KUBE-IPTABLES-HINT chain is in ip6tables-nft mangle", choice.reason());
        assertEquals(0, both.saves, "no table was read whole: " + both.reads);
        assertTrue(both.reads.stream().allMatch(argv -> argv.containsAll(List.of("-t", "mangle", "-S"))), both.reads::toString);
    }

    @Test
    void withoutKubeletChainsNoLegacyTablesMeansNftWithoutCounting() throws Exception {
        FakeIptables both = new FakeIptables(Set.of("iptables-nft", "iptables-legacy"));
        both.rules("iptables-nft", "POSTROUTING").add("-A POSTROUTING -j MASQUERADE");
        ModeDetector.Choice choice = new ModeDetector(both).choose(IptablesModeOption.AUTO);
        assertEquals(IptablesMode.NFT, choice.mode());
        assertEquals("no legacy tables, so nothing is in legacy", choice.reason());
        assertEquals(0, both.saves);
        assertEquals(List.of(List.of("iptables-nft", "-t", "mangle", "-S", "KUBE-IPTABLES-HINT")), both.reads,
                "one chain listed, then one read of the legacy table names");
    }

    @Test
    void withoutKubeletChainsBesideLegacyTablesTheFlavourHoldingMoreRulesWins() throws Exception {
        FakeIptables both = new FakeIptables(Set.of("iptables-nft", "iptables-legacy"));
        both.legacyTableNames = "nat\n";
        both.rules("iptables-legacy", "POSTROUTING").add("-A POSTROUTING -j MASQUERADE");
        ModeDetector.Choice choice = new ModeDetector(both).choose(org.ipmasq.agent.backend.iptables.IptablesModeOption.AUTO);
        assertEquals(IptablesMode.LEGACY, choice.mode());
        assertEquals("legacy holds 1 rules, nft holds 0", choice.reason());
        both.rules("iptables-nft", "POSTROUTING").add("-A POSTROUTING -j A");
        both.rules("iptables-nft", "POSTROUTING").add("-A POSTROUTING -j B");
        assertEquals(IptablesMode.NFT, new ModeDetector(both).choose(org.ipmasq.agent.backend.iptables.IptablesModeOption.AUTO).mode());
        assertEquals(IptablesMode.LEGACY,
                new ModeDetector(both).choose(org.ipmasq.agent.backend.iptables.IptablesModeOption.LEGACY).mode());
    }

    @Test
    void aPassReadsOnlyPostroutingAndTheChainInNftModeAndOneSaveInLegacy() throws Exception {
        MasqPolicy policy = policy("10.0.0.0/8");
        backend(false).sync(policy);
        backend(false).sync(policy);
        assertEquals(List.of(List.of("iptables-nft", "-t", "nat", "-S", "POSTROUTING"),
                List.of("iptables-nft", "-t", "nat", "-S", "IP-MASQ-AGENT")), fake.reads.subList(2, 4));
        assertEquals(0, fake.saves);

        FakeIptables legacy = new FakeIptables(Set.of("iptables-legacy"));
        IptablesBackend legacyBackend = new IptablesBackend(legacy, IptablesMode.LEGACY, "test", renderer, true, false);
        legacyBackend.sync(policy);
        assertFalse(legacyBackend.sync(policy).wrote());
        assertEquals(List.of(List.of("iptables-legacy-save", "-t", "nat"), List.of("iptables-legacy-save", "-t", "nat")),
                legacy.reads);
    }

    @Test
    void forcedModeThatIsNotInstalledIsAClearError() {
        BackendException e = assertThrows(BackendException.class,
                () -> new ModeDetector(fake).choose(org.ipmasq.agent.backend.iptables.IptablesModeOption.LEGACY));
        assertTrue(e.getMessage().contains("--iptables-mode=legacy but iptables-legacy-save"), e.getMessage());
    }

    @Test
    void randomFullyNeedsIptables162() {
        FakeIptables system = new FakeIptables(Set.of("iptables"));
        ModeDetector detector = new ModeDetector(system);
        assertEquals(new ModeDetector.Capabilities(true, true), detector.capabilities(IptablesMode.SYSTEM));
        system.version = "iptables v1.6.1";
        assertFalse(detector.capabilities(IptablesMode.SYSTEM).randomFully());
        system.version = "iptables v1.6.2";
        assertTrue(detector.capabilities(IptablesMode.SYSTEM).randomFully());
        system.version = "iptables v1.8.7 (legacy)";
        assertEquals(new ModeDetector.Capabilities(true, false), detector.capabilities(IptablesMode.SYSTEM));
        // One --version per question of both answers.
        assertEquals(4, system.versionQueries);
    }

    @Test
    void suffixedBinariesAreNewEnoughWithoutAskingTheirVersion() {
        // iptables-legacy and iptables-nft exist only from iptables 1.8.0 on, past 1.6.2.
        fake.version = "iptables v1.6.1";
        ModeDetector detector = new ModeDetector(fake);
        assertEquals(new ModeDetector.Capabilities(true, true), detector.capabilities(IptablesMode.NFT));
        assertEquals(new ModeDetector.Capabilities(true, false), detector.capabilities(IptablesMode.LEGACY));
        assertEquals(0, fake.versionQueries);
    }

    @Test
    void aHostWithOnlyTheUnsuffixedBinaryIsAskedItsVersionOnce() throws Exception {
        FakeIptables system = new FakeIptables(Set.of("iptables"));
        new IptablesBackendProvider().create(new IptablesSettings("IP-MASQ-AGENT", true, ToPorts.NONE, false, IptablesModeOption.AUTO), system);
        assertEquals(1, system.versionQueries);
    }
}
