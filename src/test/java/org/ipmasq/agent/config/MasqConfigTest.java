package org.ipmasq.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MasqConfigTest {

    private static final ParseContext IPV4 = ParseContext.of(false, false);

    @Test
    void constants() {
        assertEquals(64, MasqConfig.DEFAULT_CIDR_LIMIT);
        assertEquals(Duration.ofSeconds(60), MasqConfig.DEFAULT_RESYNC);
        assertEquals(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), texts(MasqConfig.RFC1918));
        assertEquals(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24",
                "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4"),
                texts(MasqConfig.ALL_RESERVED_RANGES));
    }

    @Test
    void parseContextPicksTheDefaultList() {
        assertEquals(new ParseContext(false, MasqConfig.RFC1918), ParseContext.of(false, false));
        assertEquals(new ParseContext(true, MasqConfig.ALL_RESERVED_RANGES), ParseContext.of(true, true));
        assertEquals(MasqConfig.ALL_RESERVED_RANGES, MasqConfig.defaults(ParseContext.of(false, true)).nonMasqueradeCidrs());
    }

    @Test
    void listsAreCopied() {
        List<Cidr> list = new ArrayList<>(List.of(Cidr.of("10.0.0.0/8")));
        MasqConfig config = new MasqConfig(list, list, 64, false, false, Duration.ofSeconds(1));
        list.add(Cidr.of("11.0.0.0/8"));
        assertEquals(1, config.nonMasqueradeCidrs().size());
        assertEquals(1, config.forceMasqueradeCidrs().size());
        assertThrows(UnsupportedOperationException.class, () -> config.nonMasqueradeCidrs().add(Cidr.of("12.0.0.0/8")));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new MasqConfig(List.of(), List.of(), -1, false, false, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new MasqConfig(List.of(), List.of(), 1, false, false, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new MasqConfig(List.of(), List.of(), 1, false, false, null));
    }

    @Test
    void hashIsTwelveHexDigitsAndStable() {
        String hash = MasqConfig.defaults(IPV4).hash();
        assertTrue(hash.matches("[0-9a-f]{12}"), hash);
        assertEquals(hash, MasqConfig.defaults(ParseContext.of(true, false)).hash());
        // Pinned so that a change of the rendering (which changes every reported hash) is deliberate.
        assertEquals("d82ce9ee23f8", hash); // sha256sum of the rendering, cut to 12
    }

    @Test
    void equalConfigsHashEqual() throws ConfigException {
        MasqConfig yaml = ConfigParser.parse("nonMasqueradeCIDRs: [10.0.0.0/8]\nresyncInterval: 1m", IPV4).config();
        MasqConfig json = ConfigParser.parse("{\"resyncInterval\": \"60s\", \"nonMasqueradeCIDRs\": [\"10.0.0.0/08\"]}", IPV4)
                .config();
        assertEquals(yaml, json);
        assertEquals(yaml.hash(), json.hash());
    }

    @Test
    void differentConfigsHashDifferently() {
        MasqConfig base = MasqConfig.defaults(IPV4);
        List<MasqConfig> variants = List.of(
                base,
                new MasqConfig(List.of(), List.of(), 64, false, false, Duration.ofSeconds(60)),
                new MasqConfig(List.of(Cidr.of("10.0.0.0/8")), List.of(), 64, false, false, Duration.ofSeconds(60)),
                new MasqConfig(List.of(), List.of(Cidr.of("10.0.0.0/8")), 64, false, false, Duration.ofSeconds(60)),
                new MasqConfig(List.of(Cidr.of("192.168.0.0/16"), Cidr.of("172.16.0.0/12"), Cidr.of("10.0.0.0/8")), List.of(), 64, false, false, Duration.ofSeconds(60)),
                new MasqConfig(MasqConfig.RFC1918, List.of(), 65, false, false, Duration.ofSeconds(60)),
                new MasqConfig(MasqConfig.RFC1918, List.of(), 64, true, false, Duration.ofSeconds(60)),
                new MasqConfig(MasqConfig.RFC1918, List.of(), 64, false, true, Duration.ofSeconds(60)),
                new MasqConfig(MasqConfig.RFC1918, List.of(), 64, false, false, Duration.ofSeconds(61)),
                new MasqConfig(MasqConfig.RFC1918, List.of(), 64, false, false, Duration.ofNanos(60_000_000_001L)));
        Set<String> hashes = new HashSet<>();
        for (MasqConfig config : variants) {
            hashes.add(config.hash());
        }
        assertEquals(variants.size(), hashes.size());
        assertNotEquals(base.hash(), variants.get(1).hash());
    }

    private static List<String> texts(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::text).toList();
    }
}
