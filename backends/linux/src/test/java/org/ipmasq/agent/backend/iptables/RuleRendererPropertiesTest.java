package org.ipmasq.agent.backend.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.config.ConfigParser;
import org.ipmasq.agent.config.MasqConfig;
import org.ipmasq.agent.config.ParseContext;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.MasqPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For generated documents (seeded, replayable), the rendered chain of each family ends with the
 * catch-all MASQUERADE, holds a RETURN for each kept CIDR exactly once and in order, and every
 * rule excludes local destinations.
 */
class RuleRendererPropertiesTest {

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33})
    void renderedChainsKeepTheirShape(long seed) throws Exception {
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            StringBuilder doc = new StringBuilder("nonMasqueradeCIDRs:\n");
            List<String> written = new ArrayList<>();
            for (int n = random.nextInt(65); n > 0; n--) {
                String cidr = random.nextInt(4) == 0
                        ? String.format("fd%02x:%x::/32", random.nextInt(256), random.nextInt(65536))
                        : (random.nextInt(223) + 1) + "." + random.nextInt(256) + ".0.0/16";
                written.add(cidr);
                doc.append("  - \"").append(cidr).append("\"\n");
            }
            doc.append("masqLinkLocal: ").append(random.nextBoolean()).append('\n');
            MasqConfig config = ConfigParser.parse(doc.toString(), ParseContext.of(true, false)).config();
            ToPorts ports = random.nextBoolean() ? ToPorts.NONE : ToPorts.parse("1024-29999,32768-65535");
            RuleRenderer renderer = new RuleRenderer("IP-MASQ-AGENT", random.nextBoolean(), ports);
            for (FamilyPolicy family : MasqPolicy.from(config, true).families()) {
                List<String> rules = renderer.chainRules(family);
                String last = rules.get(rules.size() - 1);
                assertTrue(last.contains(" -j MASQUERADE") && !last.contains(" -d ") && !last.contains(" -p "),
                        "seed " + seed + ": last rule is not the catch-all: " + last);
                assertTrue(rules.stream().allMatch(r -> r.contains(" -m addrtype ! --dst-type LOCAL ")));
                List<String> returned = rules.stream().filter(r -> r.endsWith(" -j RETURN"))
                        .map(r -> RuleText.valueOf(RuleText.words(r), "-d")).toList();
                List<String> expected = new ArrayList<>();
                if (family.keepLinkLocal()) {
                    expected.add(family.family().linkLocal().text());
                }
                family.nonMasquerade().stream().map(Cidr::text).forEach(expected::add);
                assertEquals(expected, returned, "seed " + seed + ": " + doc);
                assertEquals(returned.size(), returned.stream().distinct().count(), "a CIDR rendered twice");
                for (String w : written) {
                    Cidr c = Cidr.parse(w);
                    if (family.family().contains(c)) {
                        assertEquals(1, returned.stream().filter(c.text()::equals).count(), w);
                    }
                }
            }
        }
    }
}
