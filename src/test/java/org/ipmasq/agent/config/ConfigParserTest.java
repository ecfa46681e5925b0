package org.ipmasq.agent.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {

    private static final ParseContext IPV4 = ParseContext.of(false, false);
    private static final ParseContext IPV6 = ParseContext.of(true, false);
    private static final ParseContext ALL_RESERVED = ParseContext.of(false, true);

    // --- defaults and documents without settings ---

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\n", "# only a comment\n", "  # c1\n# c2", "null", "~", "---\n", "{}"})
    void emptyDocumentsGiveDefaults(String text) throws ConfigException {
        ParsedConfig parsed = ConfigParser.parse(text, IPV4);
        assertEquals(MasqConfig.defaults(IPV4), parsed.config());
        assertEquals(List.of(), parsed.unknownKeys());
    }

    @Test
    void theWarmUpDocumentParses() {
        // A cold start runs it on a second thread; if it stopped parsing, that thread would die
        // with a stack trace on every start.
        assertDoesNotThrow(ConfigParser::warmUp);
    }

    @Test
    void defaultsAreTheDocumentedValues() throws ConfigException {
        MasqConfig config = ConfigParser.parse("", IPV4).config();
        assertEquals(cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), config.nonMasqueradeCidrs());
        assertEquals(List.of(), config.forceMasqueradeCidrs());
        assertEquals(64, config.cidrLimit());
        assertFalse(config.masqLinkLocal());
        assertFalse(config.masqLinkLocalIPv6());
        assertEquals(Duration.ofSeconds(60), config.resyncInterval());
    }

    @Test
    void partialDocumentKeepsOtherDefaults() throws ConfigException {
        MasqConfig config = ConfigParser.parse("masqLinkLocal: true\n", IPV4).config();
        assertEquals(new MasqConfig(MasqConfig.RFC1918, List.of(), 64, true, false, Duration.ofSeconds(60)), config);
    }

    @Test
    void seedDocument() throws ConfigException {
        String text = "nonMasqueradeCIDRs:\n  - 10.0.0.0/8\nresyncInterval: 60s\n";
        ParsedConfig parsed = ConfigParser.parse(text, IPV4);
        assertEquals(new MasqConfig(cidrs("10.0.0.0/8"), List.of(), 64, false, false, Duration.ofSeconds(60)),
                parsed.config());
        assertEquals(List.of(), parsed.unknownKeys());
    }

    @Test
    void yamlAndJsonFormsAreEqual() throws ConfigException {
        String yaml = """
                nonMasqueradeCIDRs:
                  - 10.0.0.0/8
                  - 192.168.0.0/16
                forceMasqueradeCIDRs: [10.1.0.0/16]
                cidrLimit: 10
                masqLinkLocal: true
                masqLinkLocalIPv6: true
                resyncInterval: 1m30s
                """;
        String json = """
                {
                \t"nonMasqueradeCIDRs": ["10.0.0.0\\/8", "192.168.0.0/16"],
                \t"forceMasqueradeCIDRs": ["10.1.0.0/16"],
                \t"cidrLimit": 10,
                \t"masqLinkLocal": true,
                \t"masqLinkLocalIPv6": true,
                \t"resyncInterval": "1m30s"
                }
                """;
        MasqConfig expected = new MasqConfig(cidrs("10.0.0.0/8", "192.168.0.0/16"), cidrs("10.1.0.0/16"), 10, true, true,
                Duration.ofSeconds(90));
        assertEquals(expected, ConfigParser.parse(yaml, IPV4).config());
        // Tabs and "\/" are valid JSON but not YAML 1.1: the JSON form must still be read.
        assertEquals(expected, ConfigParser.parse(json, IPV4).config());
        assertEquals(expected, ConfigParser.parse(json.replace("\t", "").replace("\n", ""), IPV4).config());
    }

    @Test
    void yamlFlowMappingThatIsNotJsonIsRead() throws ConfigException {
        MasqConfig config = ConfigParser.parse("{cidrLimit: 3, nonMasqueradeCIDRs: [10.0.0.0/8]}", IPV4).config();
        assertEquals(3, config.cidrLimit());
        assertEquals(cidrs("10.0.0.0/8"), config.nonMasqueradeCidrs());
    }

    @Test
    void escapedJsonDuration() throws ConfigException {
        MasqConfig config = ConfigParser.parse("{\"resyncInterval\": \"\\u0035\\u006d\"}", IPV4).config();
        assertEquals(Duration.ofMinutes(5), config.resyncInterval());
    }

    @Test
    void byteOrderMarkIsIgnored() throws ConfigException {
        assertEquals(5, ConfigParser.parse("\uFEFFcidrLimit: 5\n", IPV4).config().cidrLimit());
        assertEquals(5, ConfigParser.parse("\uFEFF{\"cidrLimit\": 5}", IPV4).config().cidrLimit());
    }

    // --- nonMasqueradeCIDRs / forceMasqueradeCIDRs ---

    @Test
    void explicitlyEmptyNonMasqueradeListIsEmpty() throws ConfigException {
        assertEquals(List.of(), ConfigParser.parse("nonMasqueradeCIDRs: []", IPV4).config().nonMasqueradeCidrs());
        assertEquals(List.of(), ConfigParser.parse("{\"nonMasqueradeCIDRs\": []}", ALL_RESERVED).config().nonMasqueradeCidrs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonMasqueradeCIDRs:", "nonMasqueradeCIDRs: null", "nonMasqueradeCIDRs: ~",
            "{\"nonMasqueradeCIDRs\": null}"})
    void nullListKeepsTheDefault(String text) throws ConfigException {
        assertEquals(MasqConfig.RFC1918, ConfigParser.parse(text, IPV4).config().nonMasqueradeCidrs());
        assertEquals(MasqConfig.ALL_RESERVED_RANGES, ConfigParser.parse(text, ALL_RESERVED).config().nonMasqueradeCidrs());
    }

    @Test
    void allReservedRangesFlagChangesOnlyTheDefault() throws ConfigException {
        assertEquals(MasqConfig.ALL_RESERVED_RANGES, ConfigParser.parse("", ALL_RESERVED).config().nonMasqueradeCidrs());
        assertEquals(MasqConfig.ALL_RESERVED_RANGES,
                ConfigParser.parse("masqLinkLocal: true", ALL_RESERVED).config().nonMasqueradeCidrs());
        // A document that sets the key wins over the flag.
        assertEquals(cidrs("10.0.0.0/8"),
                ConfigParser.parse("nonMasqueradeCIDRs: [10.0.0.0/8]", ALL_RESERVED).config().nonMasqueradeCidrs());
    }

    @Test
    void forceMasqueradeCidrsAreRead() throws ConfigException {
        MasqConfig config = ConfigParser.parse("forceMasqueradeCIDRs:\n- 10.1.0.0/16\n- 10.2.0.0/16\n", IPV4).config();
        assertEquals(cidrs("10.1.0.0/16", "10.2.0.0/16"), config.forceMasqueradeCidrs());
        assertEquals(MasqConfig.RFC1918, config.nonMasqueradeCidrs());
    }

    @Test
    void duplicatesAreDroppedKeepingFirstOccurrenceOrder() throws ConfigException {
        String text = """
                nonMasqueradeCIDRs: [192.168.0.0/16, 10.0.0.0/8, 192.168.0.0/16, 10.0.0.0/08, 172.16.0.0/12]
                forceMasqueradeCIDRs: [fd00::/8, FD00::/8, fd00:0::/8]
                """;
        MasqConfig config = ConfigParser.parse(text, IPV6).config();
        assertEquals(cidrs("192.168.0.0/16", "10.0.0.0/8", "172.16.0.0/12"), config.nonMasqueradeCidrs());
        assertEquals(cidrs("fd00::/8"), config.forceMasqueradeCidrs());
    }

    @Test
    void listGivenAsString() {
        assertEquals("nonMasqueradeCIDRs must be a list of CIDR strings, got a string (\"10.0.0.0/8\")",
                error("nonMasqueradeCIDRs: 10.0.0.0/8"));
        assertEquals("forceMasqueradeCIDRs must be a list of CIDR strings, got a mapping",
                error("forceMasqueradeCIDRs: {a: 1}"));
        assertEquals("nonMasqueradeCIDRs must be a list of CIDR strings, got a number (5)", error("nonMasqueradeCIDRs: 5"));
    }

    @Test
    void listItemsMustBeStrings() {
        assertEquals("nonMasqueradeCIDRs[1] must be a CIDR string, got a number (10)",
                error("nonMasqueradeCIDRs: [10.0.0.0/8, 10]"));
        assertEquals("forceMasqueradeCIDRs[0] must be a CIDR string, got a list", error("forceMasqueradeCIDRs: [[10.0.0.0/8]]"));
        assertEquals("nonMasqueradeCIDRs[0] must be a CIDR string, got null", error("nonMasqueradeCIDRs:\n- \n"));
        assertEquals("nonMasqueradeCIDRs[0] must be a CIDR string, got a boolean (true)",
                error("{\"nonMasqueradeCIDRs\": [true]}"));
    }

    @Test
    void badCidrsNameTheKeyIndexAndString() {
        assertTrue(error("nonMasqueradeCIDRs: [10.0.0.0/8, 192.168.0.0/16, abcdefg]")
                .startsWith("nonMasqueradeCIDRs[2]: invalid CIDR \"abcdefg\": "));
        assertTrue(error("nonMasqueradeCIDRs: [10.256.0.0/16]").startsWith("nonMasqueradeCIDRs[0]: invalid CIDR \"10.256.0.0/16\": "));
        assertEquals("nonMasqueradeCIDRs[0]: invalid CIDR \"10.0.0.0/33\": prefix length 33 is larger than 32",
                error("nonMasqueradeCIDRs: [10.0.0.0/33]"));
        assertEquals("forceMasqueradeCIDRs[0]: invalid CIDR \"10.0.0.0\": missing the /prefix-length, e.g. \"10.0.0.0/8\"",
                error("forceMasqueradeCIDRs: [\"10.0.0.0\"]"));
        assertEquals("nonMasqueradeCIDRs[0]: CIDR \"10.0.0.1/8\" has host bits set; did you mean \"10.0.0.0/8\"?",
                error("nonMasqueradeCIDRs: [10.0.0.1/8]"));
    }

    @Test
    void ipv6NeedsTheFlag() {
        assertEquals("nonMasqueradeCIDRs[0]: \"fd00::/8\" is an IPv6 CIDR but IPv6 is not enabled; start the agent with --enable-ipv6",
                error("nonMasqueradeCIDRs: [\"fd00::/8\"]"));
        assertEquals("forceMasqueradeCIDRs[1]: \"fe80::/10\" is an IPv6 CIDR but IPv6 is not enabled; start the agent with --enable-ipv6",
                error("forceMasqueradeCIDRs: [10.0.0.0/8, \"fe80::/10\"]"));
    }

    @Test
    void ipv6AcceptedWhenEnabled() throws ConfigException {
        MasqConfig config = ConfigParser.parse("nonMasqueradeCIDRs: [\"10.0.0.0/8\", \"FD00::/8\"]\nmasqLinkLocalIPv6: true",
                IPV6).config();
        assertEquals(cidrs("10.0.0.0/8", "fd00::/8"), config.nonMasqueradeCidrs());
        assertTrue(config.nonMasqueradeCidrs().get(1).isIPv6());
        assertTrue(config.masqLinkLocalIPv6());
    }

    // --- cidrLimit ---

    @Test
    void sixtyFiveEntriesAreOverTheDefaultLimit() throws ConfigException {
        assertEquals("nonMasqueradeCIDRs has 65 entries, more than cidrLimit 64", error(listDocument("nonMasqueradeCIDRs", 65)));
        assertEquals("forceMasqueradeCIDRs has 65 entries, more than cidrLimit 64",
                error(listDocument("forceMasqueradeCIDRs", 65)));
        assertEquals(64, ConfigParser.parse(listDocument("nonMasqueradeCIDRs", 64), IPV4).config().nonMasqueradeCidrs().size());
    }

    @Test
    void customLimitIsAppliedToEachListSeparately() throws ConfigException {
        assertEquals("nonMasqueradeCIDRs has 3 entries, more than cidrLimit 2",
                error("nonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\ncidrLimit: 2"));
        assertEquals("forceMasqueradeCIDRs has 3 entries, more than cidrLimit 2",
                error("cidrLimit: 2\nnonMasqueradeCIDRs: [10.0.0.0/8]\n"
                        + "forceMasqueradeCIDRs: [10.1.0.0/16, 10.2.0.0/16, 10.3.0.0/16]"));
        MasqConfig config = ConfigParser.parse("cidrLimit: 2\nnonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12]\n"
                + "forceMasqueradeCIDRs: [10.1.0.0/16, 10.2.0.0/16]", IPV4).config();
        assertEquals(2, config.cidrLimit());
        assertEquals(2, config.nonMasqueradeCidrs().size());
        assertEquals(2, config.forceMasqueradeCidrs().size());
        assertEquals(1000, ConfigParser.parse("cidrLimit: 1000", IPV4).config().cidrLimit());
    }

    @Test
    void limitAlsoAppliesToTheDefaultList() {
        assertEquals("nonMasqueradeCIDRs has 3 entries (the default list), more than cidrLimit 2", error("cidrLimit: 2"));
    }

    @Test
    void zeroLimitAllowsOnlyEmptyLists() throws ConfigException {
        MasqConfig config = ConfigParser.parse("cidrLimit: 0\nnonMasqueradeCIDRs: []", IPV4).config();
        assertEquals(0, config.cidrLimit());
        assertEquals("nonMasqueradeCIDRs has 1 entries, more than cidrLimit 0",
                error("cidrLimit: 0\nnonMasqueradeCIDRs: [10.0.0.0/8]"));
    }

    @Test
    void cidrLimitTypeErrors() {
        assertEquals("cidrLimit must be an integer, got a string (\"x\")", error("cidrLimit: \"x\""));
        assertEquals("cidrLimit must be an integer, got a string (\"64\")", error("{\"cidrLimit\": \"64\"}"));
        assertEquals("cidrLimit must be an integer, got a number (64.5)", error("cidrLimit: 64.5"));
        assertEquals("cidrLimit must be an integer, got a boolean (true)", error("cidrLimit: true"));
        assertEquals("cidrLimit must be an integer, got a list", error("cidrLimit: [1]"));
        assertEquals("cidrLimit must not be negative, got -1", error("cidrLimit: -1"));
        assertEquals("cidrLimit must be an integer from 0 to 2147483647, got 99999999999",
                error("cidrLimit: 99999999999"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cidrLimit:", "cidrLimit: null", "{\"cidrLimit\": null}"})
    void nullCidrLimitKeepsTheDefault(String text) throws ConfigException {
        assertEquals(64, ConfigParser.parse(text, IPV4).config().cidrLimit());
    }

    // --- masqLinkLocal / masqLinkLocalIPv6 ---

    @Test
    void booleansAreRead() throws ConfigException {
        MasqConfig config = ConfigParser.parse("masqLinkLocal: true\nmasqLinkLocalIPv6: false", IPV4).config();
        assertTrue(config.masqLinkLocal());
        assertFalse(config.masqLinkLocalIPv6());
        config = ConfigParser.parse("{\"masqLinkLocal\": false, \"masqLinkLocalIPv6\": true}", IPV6).config();
        assertFalse(config.masqLinkLocal());
        assertTrue(config.masqLinkLocalIPv6());
        assertFalse(ConfigParser.parse("masqLinkLocal: null", IPV4).config().masqLinkLocal());
    }

    @Test
    void booleanTypeErrors() {
        assertEquals("masqLinkLocal must be a boolean (true or false), got a string (\"yes\")", error("masqLinkLocal: \"yes\""));
        assertEquals("masqLinkLocal must be a boolean (true or false), got a string (\"true\")",
                error("{\"masqLinkLocal\": \"true\"}"));
        assertEquals("masqLinkLocalIPv6 must be a boolean (true or false), got a number (1)", error("masqLinkLocalIPv6: 1"));
    }

    // --- resyncInterval ---

    @Test
    void resyncIntervalIsAGoDuration() throws ConfigException {
        assertEquals(Duration.ofMillis(1500), ConfigParser.parse("resyncInterval: 1.5s", IPV4).config().resyncInterval());
        assertEquals(Duration.ofMinutes(90), ConfigParser.parse("resyncInterval: 1h30m", IPV4).config().resyncInterval());
        assertEquals(Duration.ofSeconds(60), ConfigParser.parse("resyncInterval:", IPV4).config().resyncInterval());
    }

    @Test
    void resyncIntervalErrors() {
        assertEquals("resyncInterval: invalid duration \"5d\": unknown unit \"d\" (valid units are ns, us, ms, s, m, h)",
                error("resyncInterval: 5d"));
        assertEquals("resyncInterval must be positive, got \"0s\"", error("resyncInterval: 0s"));
        assertEquals("resyncInterval must be positive, got \"0\"", error("resyncInterval: \"0\""));
        assertEquals("resyncInterval must be positive, got \"-5s\"", error("resyncInterval: -5s"));
        assertEquals("resyncInterval must be a duration string such as \"60s\", got a number (60)", error("resyncInterval: 60"));
        assertEquals("resyncInterval must be a duration string such as \"60s\", got a number (60)",
                error("{\"resyncInterval\": 60}"));
        assertEquals("resyncInterval must be a duration string such as \"60s\", got a boolean (true)",
                error("resyncInterval: true"));
    }

    // --- unknown keys ---

    @Test
    void unknownKeysAreReportedInDocumentOrder() throws ConfigException {
        ParsedConfig parsed = ConfigParser.parse("""
                zeta: 1
                cidrLimit: 5
                nonmasqueradecidrs: [10.0.0.0/8]
                alpha: {nested: true}
                resyncinterval: 5s
                """, IPV4);
        assertEquals(List.of("zeta", "nonmasqueradecidrs", "alpha", "resyncinterval"), parsed.unknownKeys());
        assertEquals(5, parsed.config().cidrLimit());
        assertEquals(MasqConfig.RFC1918, parsed.config().nonMasqueradeCidrs());
    }

    // --- documents that are not a config ---

    @Test
    void unparseableYaml() {
        String message = error("*");
        assertTrue(message.startsWith("config is not valid YAML or JSON at line 1, column 2: "), message);
        message = error("cidrLimit: 5\nnonMasqueradeCIDRs: [10.0.0.0/8\n");
        assertTrue(message.startsWith("config is not valid YAML or JSON at line 3, column 1: "), message);
        message = error("a:\n  - 1\n - 2\n");
        assertTrue(message.startsWith("config is not valid YAML or JSON at line "), message);
    }

    @Test
    void unparseableJson() {
        String message = error("{*");
        assertTrue(message.startsWith("config is not valid YAML or JSON at line 1, column 2: "), message);
        assertTrue(message.contains("'*'"), message);
        message = error("{\"a\":");
        assertTrue(message.startsWith("config is not valid YAML or JSON at line 1, column "), message);
        message = error("{\n  \"cidrLimit\": 5\n  \"masqLinkLocal\": true\n}"); // missing comma
        assertTrue(message.startsWith("config is not valid YAML or JSON at line 3, column 3: "), message);
        // Invalid JSON that is valid YAML (a plain scalar) is read as YAML, so the type check reports it.
        assertEquals("masqLinkLocal must be a boolean (true or false), got a string (\"tru\")",
                error("{\"masqLinkLocal\": tru}"));
    }

    @Test
    void parseErrorsAreOneLineWithoutJacksonSourceTrailer() {
        for (String text : List.of("*", "{*", "{\"a\":", "a: [1, 2", "a: 1\na: 2", "\u0000", "{\"a\": 1} x")) {
            String message = error(text);
            assertFalse(message.contains("\n"), message);
            assertFalse(message.contains("\r"), message);
            assertFalse(message.contains("[Source:"), message);
            assertTrue(message.length() < 300, message);
        }
    }

    @Test
    void duplicateKeysAreAnError() {
        assertEquals("config is not valid YAML or JSON at line 2, column 12: key \"cidrLimit\" appears more than once",
                error("cidrLimit: 5\ncidrLimit: 6\n"));
        assertEquals("config is not valid YAML or JSON at line 1, column 31: key \"cidrLimit\" appears more than once",
                error("{\"cidrLimit\": 5, \"cidrLimit\": 6}"));
    }

    @Test
    void moreThanOneDocumentIsAnError() {
        String message = error("cidrLimit: 5\n---\ncidrLimit: 6\n");
        assertTrue(message.startsWith("config is not valid YAML or JSON at line 3"), message);
        assertTrue(message.contains("more than one document"), message);
    }

    @Test
    void topLevelMustBeAMapping() {
        assertEquals("config must be a YAML or JSON mapping of keys, got a string", error("hello"));
        assertEquals("config must be a YAML or JSON mapping of keys, got a string", error("\"10.0.0.0/8\""));
        assertEquals("config must be a YAML or JSON mapping of keys, got a number", error("42"));
        assertEquals("config must be a YAML or JSON mapping of keys, got a list", error("- 10.0.0.0/8\n"));
        assertEquals("config must be a YAML or JSON mapping of keys, got a list", error("[\"10.0.0.0/8\"]"));
        assertEquals("config must be a YAML or JSON mapping of keys, got a boolean", error("true"));
    }

    @Test
    void binaryGarbageIsAConfigError() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            byte[] bytes = new byte[1 + random.nextInt(400)];
            random.nextBytes(bytes);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(text, IPV4));
            assertTrue(e.getMessage().startsWith("config "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        // Every byte value once, in order: starts with NUL.
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String message = error(new String(all, StandardCharsets.ISO_8859_1));
        assertEquals("config is not valid YAML or JSON at line 1, column 1: character U+0000 is not allowed in YAML", message);
    }

    @Test
    void overOneMebibyteIsRejectedBeforeParsing() throws ConfigException {
        String padding = "#".repeat(ConfigParser.MAX_CONFIG_BYTES - "cidrLimit: 5\n".length());
        assertEquals(5, ConfigParser.parse("cidrLimit: 5\n" + padding, IPV4).config().cidrLimit());
        // One byte more; the text is not valid YAML either, so only the size check can produce this.
        String tooLarge = "{" + "x".repeat(ConfigParser.MAX_CONFIG_BYTES);
        assertEquals("config is 1048577 bytes, over the 1 MiB limit of a ConfigMap", error(tooLarge));
        // Counted in UTF-8 bytes: 400,000 three-byte characters are 1,200,000 bytes.
        assertEquals("config is 1200000 bytes, over the 1 MiB limit of a ConfigMap", error("\u20ac".repeat(400_000)));
    }

    @Test
    void deeplyNestedDocumentsAreAConfigErrorNotACrash() {
        for (String text : List.of("[".repeat(100_000), "a: " + "[".repeat(100_000), "{\"a\":".repeat(50_000),
                "- ".repeat(100_000) + "x")) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(text, IPV4));
            assertTrue(e.getMessage().startsWith("config "), e.getMessage());
        }
    }

    private static String error(String text) {
        return assertThrows(ConfigException.class, () -> ConfigParser.parse(text, IPV4)).getMessage();
    }

    private static List<Cidr> cidrs(String... texts) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String text : texts) {
            cidrs.add(Cidr.of(text));
        }
        return cidrs;
    }

    /** A list of {@code count} distinct /24s under 10.0.0.0/8. */
    private static String listDocument(String key, int count) {
        return key + ":\n" + IntStream.range(0, count)
                .mapToObj(i -> "  - 10." + (i / 256) + "." + (i % 256) + ".0/24\n")
                .collect(Collectors.joining());
    }
}
