package org.ipmasq.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties of the parser, checked on generated inputs: whatever the text, the only failure is
 * a {@link ConfigException} with a one-line message, and accepted configs keep their invariants.
 * Inputs come from a seeded {@link Random} per case, so a failure names its seed and replays.
 */
class ConfigParserPropertiesTest {

    private static final int CASES_PER_SEED = 300;
    private static final ObjectMapper YAML_WRITER = new YAMLMapper();
    private static final ObjectMapper JSON_WRITER = new JsonMapper();
    private static final List<String> KEYS = List.of("nonMasqueradeCIDRs", "forceMasqueradeCIDRs", "cidrLimit",
            "masqLinkLocal", "masqLinkLocalIPv6", "resyncInterval");
    private static final List<String> SCALARS = List.of("10.0.0.0/8", "fd00::/8", "fe80::/10", "10.0.0.1/8",
            "10.256.0.0/16", "10.0.0.0/33", "10.0.0.0", "abcdefg", "", " ", "60s", "0s", "0", "-1s", "1.5h", "5d",
            "9999999999h", "yes", "true", "null", "~", "*", "&a", "!!binary", "0x40", ".inf", "1e400");
    private static final String PUNCTUATION = "{}[]:,-#&*!|>'\"\\ \n\t?%@`~0123456789.abcdefhmsux/";

    // --- (a) never anything but ConfigException ---

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void arbitraryTextIsParsedOrRejectedCleanly(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            parseCleanly(text(random), ParseContext.of(random.nextBoolean(), random.nextBoolean()), seed);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void randomDocumentsAreParsedOrRejectedCleanly(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            parseCleanly(document(random), ParseContext.of(random.nextBoolean(), random.nextBoolean()), seed);
        }
    }

    private static String text(Random random) {
        switch (random.nextInt(3)) {
            case 0: {
                StringBuilder s = new StringBuilder();
                for (int n = random.nextInt(200); n > 0; n--) {
                    s.append((char) random.nextInt(Character.MAX_VALUE + 1));
                }
                return s.toString();
            }
            case 1: {
                // Mostly YAML/JSON punctuation, so the parsers get deeper than the first character.
                StringBuilder s = new StringBuilder();
                for (int n = random.nextInt(120); n > 0; n--) {
                    s.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
                }
                return s.toString();
            }
            default: {
                byte[] bytes = new byte[random.nextInt(300)];
                random.nextBytes(bytes);
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Maps with mostly known keys and values of every type, written as YAML or JSON, sometimes cut short. */
    private static String document(Random random) {
        Map<String, Object> map = map(random, 3);
        String text = write(random.nextBoolean() ? JSON_WRITER : YAML_WRITER, map);
        int cut = random.nextInt(100);
        return cut < 25 ? text.substring(0, text.length() * cut / 25) : text;
    }

    private static Map<String, Object> map(Random random, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int n = random.nextInt(9); n > 0; n--) {
            String key = random.nextInt(7) < 6 ? KEYS.get(random.nextInt(KEYS.size())) : text(random);
            map.put(key.length() > 12 ? key.substring(0, 12) : key, value(random, depth));
        }
        return map;
    }

    private static Object value(Random random, int depth) {
        int kind = depth == 0 ? random.nextInt(5) : random.nextInt(8);
        if (kind < 5 && random.nextInt(10) == 0) {
            return null;
        }
        return switch (kind) {
            case 0 -> SCALARS.get(random.nextInt(SCALARS.size()));
            case 1 -> random.nextBoolean() ? random.nextInt() : random.nextLong();
            case 2 -> new BigInteger(100, random).subtract(BigInteger.TWO.pow(99));
            case 3 -> random.nextBoolean() ? random.nextDouble() * 1e6 : random.nextBoolean();
            case 4 -> Long.toString(random.nextLong(), 36);
            case 5, 6 -> {
                List<Object> list = new ArrayList<>();
                for (int n = random.nextInt(7); n > 0; n--) {
                    list.add(value(random, depth - 1));
                }
                yield list;
            }
            default -> map(random, depth - 1);
        };
    }

    private static String write(ObjectMapper writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void parseCleanly(String text, ParseContext ctx, long seed) {
        MasqConfig config;
        try {
            config = ConfigParser.parse(text, ctx).config();
        } catch (ConfigException e) {
            assertFalse(e.getMessage().isBlank(), "blank message for input " + Quote.of(text));
            assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"),
                    "multi-line message " + Quote.of(e.getMessage()) + " for input " + Quote.of(text));
            return;
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + ": ConfigParser.parse threw " + t + " for input "
                    + Quote.of(text) + " (" + text.length() + " chars)", t);
        }
        // Whatever was accepted keeps the invariants the rest of the agent relies on.
        assertTrue(config.nonMasqueradeCidrs().size() <= config.cidrLimit());
        assertTrue(config.forceMasqueradeCidrs().size() <= config.cidrLimit());
        assertEquals(new HashSet<>(config.nonMasqueradeCidrs()).size(), config.nonMasqueradeCidrs().size());
        assertEquals(new HashSet<>(config.forceMasqueradeCidrs()).size(), config.forceMasqueradeCidrs().size());
        assertTrue(config.resyncInterval().toNanos() > 0);
        if (!ctx.ipv6Enabled()) {
            assertTrue(config.nonMasqueradeCidrs().stream().noneMatch(Cidr::isIPv6));
            assertTrue(config.forceMasqueradeCidrs().stream().noneMatch(Cidr::isIPv6));
        }
    }

    // --- (b) each CIDR once, in first-occurrence order ---

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void eachCidrOnceInFirstOccurrenceOrder(long seed) throws ConfigException {
        Random random = new Random(seed);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            List<String> cidrs = cidrList(random);
            boolean json = random.nextBoolean();
            String document = json
                    ? "{\"forceMasqueradeCIDRs\": [" + quoted(cidrs) + "], \"nonMasqueradeCIDRs\": [" + quoted(cidrs) + "]}"
                    : cidrs.isEmpty() ? "nonMasqueradeCIDRs: []\nforceMasqueradeCIDRs: []\n"
                    : "nonMasqueradeCIDRs:\n" + cidrs.stream().map(c -> "  - " + c + "\n").collect(Collectors.joining())
                            + "forceMasqueradeCIDRs: [" + String.join(", ", cidrs) + "]\n";
            MasqConfig config = ConfigParser.parse(document, ParseContext.of(false, false)).config();
            List<String> expected = new ArrayList<>(new LinkedHashSet<>(cidrs));
            assertEquals(expected, texts(config.nonMasqueradeCidrs()), "seed " + seed + ": " + document);
            assertEquals(expected, texts(config.forceMasqueradeCidrs()), "seed " + seed + ": " + document);
        }
    }

    private static String quoted(List<String> cidrs) {
        return cidrs.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", "));
    }

    /** Up to 64 entries (the default limit) drawn from a small pool of prefix blocks, so duplicates are common. */
    private static List<String> cidrList(Random random) {
        List<String> pool = new ArrayList<>();
        for (int n = 1 + random.nextInt(12); n > 0; n--) {
            int prefix = random.nextInt(33);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            int network = random.nextInt() & mask;
            pool.add((network >>> 24) + "." + ((network >>> 16) & 0xff) + "." + ((network >>> 8) & 0xff) + "."
                    + (network & 0xff) + "/" + prefix);
        }
        List<String> list = new ArrayList<>();
        for (int n = random.nextInt(MasqConfig.DEFAULT_CIDR_LIMIT + 1); n > 0; n--) {
            list.add(pool.get(random.nextInt(pool.size())));
        }
        return list;
    }

    private static List<String> texts(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::text).toList();
    }
}
