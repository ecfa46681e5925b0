package org.ipmasq.agent.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/8 | 10.0.0.0/8",
            "172.16.0.0/12 | 172.16.0.0/12",
            "192.168.0.0/16 | 192.168.0.0/16",
            "0.0.0.0/0 | 0.0.0.0/0",
            "1.2.3.4/32 | 1.2.3.4/32",
            "255.255.255.255/32 | 255.255.255.255/32",
            "10.0.0.0/08 | 10.0.0.0/8", // Go accepts leading zeros in the prefix length
    })
    void parsesIPv4(String text, String canonical) throws ConfigException {
        Cidr cidr = Cidr.parse(text);
        assertEquals(canonical, cidr.text());
        assertEquals(canonical, cidr.toString());
        assertFalse(cidr.isIPv6());
        assertTrue(cidr.address().isIPv4());
        assertEquals(Integer.parseInt(canonical.substring(canonical.indexOf('/') + 1)),
                cidr.address().getNetworkPrefixLength());
    }

    /** Canonical IPv6 text is what glibc's inet_ntop (and so ip6tables-save) prints. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "fd00::/8 | fd00::/8",
            "FD00::/8 | fd00::/8",
            "fe80::/10 | fe80::/10",
            "fe80:0000:0000:0000:0000:0000:0000:0000/10 | fe80::/10",
            "::/0 | ::/0",
            "::1/128 | ::1/128",
            "0fd0::/16 | fd0::/16",
            "2001:db8::/32 | 2001:db8::/32",
            "2001:db8:0:1::/64 | 2001:db8:0:1::/64", // a single zero group is not compressed
            "2001:0:0:1::/64 | 2001:0:0:1::/64", // the longer run wins
            "fd00:0:0:0:1::/80 | fd00::1:0:0:0/80", // on a tie the first run wins
            "1:2:3:4:5:6:7:8/128 | 1:2:3:4:5:6:7:8/128",
            "::ffff:10.0.0.0/104 | ::ffff:10.0.0.0/104", // glibc writes IPv4-mapped with a dotted tail
            "::ffff:0:0/96 | ::ffff:0.0.0.0/96",
            "::a00:0/104 | ::10.0.0.0/104", // and IPv4-compatible too
    })
    void parsesIPv6(String text, String canonical) throws ConfigException {
        Cidr cidr = Cidr.parse(text);
        assertEquals(canonical, cidr.text());
        assertTrue(cidr.isIPv6());
        assertTrue(cidr.address().isIPv6());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "10.0.0.0", // no prefix length
            "fd00::",
            "", // empty
            "*",
            "*/8",
            "10.*.0.0/16", // wildcard
            "10.0-1.0.0/16", // range
            "10/8", // inet_aton short forms
            "10.1/16",
            "10.1.0/24",
            "167772160/8", // inet_aton single number
            "010.0.0.0/8", // leading zeros in octets
            "10.00.0.0/16",
            "0x0a.0.0.0/8", // hex
            "10.256.0.0/16", // octet > 255
            "10.0.0.0/33", // prefix too long
            "2001:db8::/129",
            " 10.0.0.0/8", // surrounding whitespace
            "10.0.0.0/8 ",
            "10.0.0.0/8\n",
            "10.0.0.0 /8",
            "10.0.0.0/255.0.0.0", // masks
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/-1",
            "10.0.0.0/8/8",
            "/8",
            "1.2.3.4.5/32",
            "abcdefg",
            "abcdefg/8",
            "fe80::%eth0/64", // zones
            "[fd00::]/8",
            "00fd0::/16", // five hex digits
            "1::2::3/64",
            "::ffff:010.0.0.0/104", // leading zero in the embedded IPv4 part
            "\uff11\uff10.0.0.0/8", // full-width digits
            "10.0.0.0/\u0668",
    })
    void rejectsWhatGoRejects(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> Cidr.parse(text));
        assertTrue(e.getMessage().startsWith("invalid CIDR " + Quote.of(text) + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void explainsCommonMistakes() {
        assertEquals("invalid CIDR \"10.0.0.0\": missing the /prefix-length, e.g. \"10.0.0.0/8\"", message("10.0.0.0"));
        assertEquals("invalid CIDR \"\": empty string", message(""));
        assertEquals("invalid CIDR \" 10.0.0.0/8\": contains whitespace", message(" 10.0.0.0/8"));
        assertEquals("invalid CIDR \"10.0.0.0/33\": prefix length 33 is larger than 32", message("10.0.0.0/33"));
        assertEquals("invalid CIDR \"fd00::/129\": prefix length 129 is larger than 128", message("fd00::/129"));
        assertEquals("invalid CIDR \"10.0.0.0/255.0.0.0\": prefix length \"255.0.0.0\" is not a number",
                message("10.0.0.0/255.0.0.0"));
        assertTrue(message("10.256.0.0/16").startsWith("invalid CIDR \"10.256.0.0/16\": "));
        assertTrue(message("abcdefg").startsWith("invalid CIDR \"abcdefg\": "));
    }

    @Test
    void rejectsHostBitsAndSuggestsTheNetwork() {
        assertEquals("CIDR \"10.0.0.1/8\" has host bits set; did you mean \"10.0.0.0/8\"?", message("10.0.0.1/8"));
        assertEquals("CIDR \"192.168.1.1/16\" has host bits set; did you mean \"192.168.0.0/16\"?",
                message("192.168.1.1/16"));
        assertEquals("CIDR \"fd00::1/8\" has host bits set; did you mean \"fd00::/8\"?", message("fd00::1/8"));
        assertEquals("CIDR \"1.2.3.4/0\" has host bits set; did you mean \"0.0.0.0/0\"?", message("1.2.3.4/0"));
    }

    @Test
    void equalityIsByCanonicalText() throws ConfigException {
        assertEquals(Cidr.parse("FD00::/8"), Cidr.parse("fd00:0::/8"));
        assertEquals(Cidr.parse("FD00::/8").hashCode(), Cidr.parse("fd00:0::/8").hashCode());
        assertEquals(Cidr.parse("10.0.0.0/08"), Cidr.parse("10.0.0.0/8"));
        assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/9"));
        assertNotEquals(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "0.0.0.0/0", "192.168.3.4/32", "fd00::/8", "::/0", "2001:db8::1/128"})
    void theAddressKeptIsTheLibrarysOwnBlock(String text) throws Exception {
        // Cidr rebuilds the address from its bytes to drop the parse state; it must stay the same block.
        IPAddress library = new IPAddressString(text).toAddress();
        IPAddress kept = Cidr.of(text).address();
        assertEquals(library, kept);
        assertTrue(kept.isPrefixBlock());
        assertEquals(library.toPrefixBlock().toSequentialRange(), kept.toPrefixBlock().toSequentialRange());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void thePlainDottedQuadShortcutAgreesWithTheLibrary(long seed) {
        Random random = new Random(seed);
        int shortcuts = 0;
        for (int i = 0; i < 5_000; i++) {
            String address = nearDottedQuad(random);
            byte[] shortcut = Cidr.plainIPv4(address);
            IPAddress library = new IPAddressString(address, Cidr.STRICT).getAddress();
            if (shortcut != null) {
                shortcuts++;
                // Whatever the shortcut takes, the library takes too, as the same address.
                assertTrue(library != null && library.isIPv4(), "seed " + seed + ": " + address);
                assertArrayEquals(library.getBytes(), shortcut, "seed " + seed + ": " + address);
            } else if (address.matches("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}")) {
                // What it leaves to the library is never a plain quad it could have read.
                assertTrue(Arrays.stream(address.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255),
                        "seed " + seed + ": " + address);
            }
        }
        assertTrue(shortcuts > 500, "the generator reaches the shortcut: " + shortcuts);
    }

    /** Mostly dotted quads, some with octets over 255, leading zeros, signs, or a part missing or extra. */
    private static String nearDottedQuad(Random random) {
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(10) == 0 ? 3 + random.nextInt(3) : 4;
        for (int p = 0; p < parts; p++) {
            if (p > 0) {
                text.append(random.nextInt(40) == 0 ? ":" : ".");
            }
            switch (random.nextInt(12)) {
                case 0 -> text.append('0').append(random.nextInt(100));
                case 1 -> text.append(256 + random.nextInt(800));
                case 2 -> text.append(random.nextBoolean() ? "" : "+1");
                case 3 -> text.append("0x").append(random.nextInt(256));
                default -> text.append(random.nextInt(256));
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.1/8 | 10.0.0.0/8", "192.168.1.255/23 | 192.168.0.0/23", "255.255.255.255/0 | 0.0.0.0/0",
            "10.0.0.0/8 | ", "10.1.2.3/32 | "})
    void theShortcutChecksHostBitsAsTheLibraryPathDoes(String text, String network) throws Exception {
        if (network == null) {
            assertEquals(text, Cidr.parse(text).text());
        } else {
            ConfigException e = assertThrows(ConfigException.class, () -> Cidr.parse(text));
            assertEquals("CIDR \"" + text + "\" has host bits set; did you mean \"" + network + "\"?", e.getMessage());
        }
    }

    @Test
    void containment() {
        Cidr ten = Cidr.of("10.0.0.0/8");
        assertTrue(ten.contains(Cidr.of("10.1.0.0/16")));
        assertTrue(ten.contains(ten));
        assertFalse(ten.contains(Cidr.of("11.0.0.0/16")));
        assertFalse(Cidr.of("10.1.0.0/16").contains(ten));
        assertTrue(Cidr.of("fe80::/10").contains(Cidr.of("fe80::/64")));
        assertFalse(Cidr.of("0.0.0.0/0").contains(Cidr.of("::/0")));
        assertFalse(Cidr.of("::/0").contains(Cidr.of("10.0.0.0/8")));
    }

    @Test
    void ofThrowsUncheckedForBadConstants() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.of("10.0.0.1/8"));
        assertEquals("CIDR \"10.0.0.1/8\" has host bits set; did you mean \"10.0.0.0/8\"?", e.getMessage());
    }

    @Test
    void errorMessagesStayOnOneLineAndShort() {
        String garbage = "\u0000\n\"\\" + "x".repeat(500);
        String message = message(garbage);
        assertTrue(message.startsWith("invalid CIDR \"\\u0000\\n\\\"\\\\xxx"), message);
        assertTrue(message.contains("... (504 characters)"), message);
        assertTrue(message.length() < 250, message);
    }

    private static String message(String text) {
        return assertThrows(ConfigException.class, () -> Cidr.parse(text)).getMessage();
    }
}
