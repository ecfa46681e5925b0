package org.ipmasq.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigMergeTest {

    private static final ParseContext V4 = ParseContext.of(false, false);

    private static SourceConfig source(String text) throws ConfigException {
        return ConfigParser.parseSource(text, V4).config();
    }

    private static MasqConfig merge(String... texts) throws ConfigException {
        List<SourceConfig> sources = new ArrayList<>();
        for (String text : texts) {
            sources.add(source(text));
        }
        return ConfigMerge.merge(sources, V4);
    }

    private static List<String> texts(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::text).toList();
    }

    @Test
    void listsAreTheUnionInSourceOrderWithDuplicatesDropped() throws ConfigException {
        MasqConfig merged = merge(
                "nonMasqueradeCIDRs: [10.0.0.0/8, 100.64.0.0/10]\nforceMasqueradeCIDRs: [10.1.0.0/16]",
                "nonMasqueradeCIDRs: [192.168.0.0/16, 10.0.0.0/8]\nforceMasqueradeCIDRs: [10.2.0.0/16, 10.1.0.0/16]");
        assertEquals(List.of("10.0.0.0/8", "100.64.0.0/10", "192.168.0.0/16"), texts(merged.nonMasqueradeCidrs()));
        assertEquals(List.of("10.1.0.0/16", "10.2.0.0/16"), texts(merged.forceMasqueradeCidrs()));
    }

    @Test
    void aSourceThatLeavesAListOutAddsNoDefaults() throws ConfigException {
        MasqConfig merged = merge("forceMasqueradeCIDRs: [10.1.0.0/16]", "nonMasqueradeCIDRs: [100.64.0.0/10]");
        assertEquals(List.of("100.64.0.0/10"), texts(merged.nonMasqueradeCidrs()));
        assertEquals(List.of("10.1.0.0/16"), texts(merged.forceMasqueradeCidrs()));
    }

    @Test
    void theDefaultListOnlyWhenNoSourceSetsIt() throws ConfigException {
        assertEquals(MasqConfig.RFC1918, merge("masqLinkLocal: false", "resyncInterval: 5s").nonMasqueradeCidrs());
        assertEquals(MasqConfig.ALL_RESERVED_RANGES, ConfigMerge.merge(List.of(SourceConfig.EMPTY, SourceConfig.EMPTY),
                ParseContext.of(false, true)).nonMasqueradeCidrs());
        // An explicitly empty list is set: it adds nothing, and the defaults do not come back.
        assertEquals(List.of("10.0.0.0/8"), texts(merge("nonMasqueradeCIDRs: []", "nonMasqueradeCIDRs: [10.0.0.0/8]")
                .nonMasqueradeCidrs()));
        assertEquals(List.of(), merge("nonMasqueradeCIDRs: []", "masqLinkLocal: false").nonMasqueradeCidrs());
    }

    @Test
    void linkLocalIsMasqueradedWhenAnySourceSaysSo() throws ConfigException {
        assertFalse(merge("masqLinkLocal: false", "{}").masqLinkLocal());
        assertTrue(merge("masqLinkLocal: false", "masqLinkLocal: true").masqLinkLocal());
        assertTrue(merge("masqLinkLocal: true", "masqLinkLocal: false").masqLinkLocal());
        assertTrue(merge("{}", "masqLinkLocalIPv6: true").masqLinkLocalIPv6());
        assertFalse(merge("{}", "masqLinkLocalIPv6: true").masqLinkLocal());
    }

    @Test
    void resyncIntervalIsTheFirstSourceThatSetsIt() throws ConfigException {
        assertEquals(Duration.ofSeconds(5), merge("resyncInterval: 5s", "resyncInterval: 1m").resyncInterval());
        assertEquals(Duration.ofMinutes(1), merge("{}", "resyncInterval: 1m", "resyncInterval: 2s").resyncInterval());
        assertEquals(MasqConfig.DEFAULT_RESYNC, merge("{}", "masqLinkLocal: true").resyncInterval());
    }

    @Test
    void cidrLimitBoundsEachSourceOnItsOwnAndTheMergeIsTheSum() throws ConfigException {
        assertEquals(64 + 200, merge("{}", "cidrLimit: 200").cidrLimit());
        assertEquals(64, merge("{}").cidrLimit());
        // Each source is checked against its own limit, so neither can make the other invalid.
        StringBuilder seventy = new StringBuilder("nonMasqueradeCIDRs:\n");
        for (int i = 0; i < 70; i++) {
            seventy.append("- 10.").append(i).append(".0.0/16\n");
        }
        assertThrows(ConfigException.class, () -> source(seventy.toString()));
        MasqConfig merged = merge(seventy + "cidrLimit: 70\n", "nonMasqueradeCIDRs: [192.168.0.0/16]");
        assertEquals(71, merged.nonMasqueradeCidrs().size());
        assertEquals(70 + 64, merged.cidrLimit());
    }

    @Test
    void oneSourceMeansExactlyWhatTheDocumentMeansAlone() throws ConfigException {
        Random random = new Random(14);
        String[] keys = {"nonMasqueradeCIDRs: [10.0.0.0/8, 10.0.0.0/8]", "forceMasqueradeCIDRs: [10.9.0.0/16]",
            "cidrLimit: 5", "masqLinkLocal: true", "masqLinkLocalIPv6: true", "resyncInterval: 7s",
            "nonMasqueradeCIDRs: []"};
        for (int round = 0; round < 200; round++) {
            StringBuilder doc = new StringBuilder("{}\n");
            List<String> used = new ArrayList<>();
            for (String key : keys) {
                String name = key.substring(0, key.indexOf(':'));
                if (random.nextBoolean() && used.stream().noneMatch(k -> k.startsWith(name + ":"))) {
                    used.add(key);
                }
            }
            String text = used.isEmpty() ? "" : String.join("\n", used);
            assertEquals(ConfigParser.parse(text, V4).config(), ConfigMerge.merge(List.of(source(text)), V4), text);
        }
        assertEquals(MasqConfig.defaults(V4), ConfigMerge.merge(List.of(), V4));
    }

    @Test
    void errorsThatDependOnTheNodesFlagsAreMarkedAsSuch() {
        ConfigException ipv6 = assertThrows(ConfigException.class, () -> source("nonMasqueradeCIDRs: [fd00::/8]"));
        assertTrue(ipv6.nodeSpecific(), ipv6.getMessage());
        ConfigException reserved = assertThrows(ConfigException.class,
                () -> ConfigParser.parseSource("cidrLimit: 5", ParseContext.of(false, true)));
        assertTrue(reserved.nodeSpecific(), reserved.getMessage());
        ConfigException hostBits = assertThrows(ConfigException.class, () -> source("nonMasqueradeCIDRs: [10.0.0.1/8]"));
        assertFalse(hostBits.nodeSpecific());
        assertThrows(ConfigException.class, () -> source("resyncInterval: 0s"));
    }

    @Test
    void theSourceHashFollowsContentNotFormatting() throws ConfigException {
        assertEquals(source("nonMasqueradeCIDRs: [10.0.0.0/8]").hash(),
                source("# cloud ranges\nnonMasqueradeCIDRs:\n  - 10.0.0.0/8\n").hash());
        assertFalse(source("nonMasqueradeCIDRs: []").hash().equals(source("{}").hash()));
    }
}
