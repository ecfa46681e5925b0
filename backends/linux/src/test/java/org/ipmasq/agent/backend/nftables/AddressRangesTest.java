package org.ipmasq.agent.backend.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressRangesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static AddressRanges of(String... cidrs) {
        return AddressRanges.of(Policies.cidrs(cidrs));
    }

    private static Optional<AddressRanges> kernel(String elemArray) throws Exception {
        JsonNode elem = MAPPER.readTree(elemArray);
        return AddressRanges.fromJson(elem);
    }

    @Test
    void overlappingAdjacentAndDuplicateCidrsMergeIntoTheFewestElements() {
        assertEquals(List.of("10.0.0.0/7"), of("10.0.0.0/8", "10.1.0.0/16", "11.0.0.0/8", "10.0.0.0/8").elements());
        assertEquals(List.of("192.168.0.0-192.168.1.127"), of("192.168.1.0/25", "192.168.0.0/24").elements());
        assertEquals(List.of("10.0.0.0/8", "192.168.3.4"), of("192.168.3.4/32", "10.0.0.0/8").elements());
        assertEquals(List.of("fd00::/8", "fe80::1"), of("fe80::1/128", "fd00:1::/32", "fd00::/8").elements());
        assertEquals(List.of(), of().elements());
        assertEquals(List.of("0.0.0.0/0", "::/0"), of("0.0.0.0/0", "::/0", "10.0.0.0/8").elements());
        assertTrue(of().isEmpty());
    }

    @Test
    void theKernelsSpellingsOfTheSameAddressesCompareEqual() throws Exception {
        AddressRanges wanted = of("10.0.0.0/8", "11.0.0.0/8", "192.168.0.0/24", "192.168.1.0/25", "192.168.3.4/32");
        // As auto-merge prints it (recorded from nft 1.0.6)...
        assertEquals(Optional.of(wanted), kernel("[{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 7}},"
                + " {\"range\": [\"192.168.0.0\", \"192.168.1.127\"]}, \"192.168.3.4\"]"));
        // ...and as a set without auto-merge holds the same addresses: adjacent prefixes, a /32 as a range.
        assertEquals(Optional.of(wanted), kernel("[{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 8}},"
                + " {\"prefix\": {\"addr\": \"11.0.0.0\", \"len\": 8}}, {\"prefix\": {\"addr\": \"192.168.0.0\", \"len\": 24}},"
                + " {\"range\": [\"192.168.1.0\", \"192.168.1.127\"]}, {\"range\": [\"192.168.3.4\", \"192.168.3.4\"]}]"));
        assertEquals(Optional.of(of("2001:db8::/126")), kernel("[{\"range\": [\"2001:db8::\", \"2001:db8::3\"]}]"));
        assertEquals(Optional.of(AddressRanges.EMPTY), AddressRanges.fromJson(null));
    }

    @Test
    void oneAddressMoreOrLessIsADifference() throws Exception {
        AddressRanges wanted = of("10.0.0.0/8");
        assertNotEquals(Optional.of(wanted), kernel("[{\"range\": [\"10.0.0.0\", \"10.255.255.254\"]}]"));
        assertNotEquals(Optional.of(wanted), kernel("[{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 8}}, \"11.0.0.0\"]"));
        assertNotEquals(of("10.0.0.0/8"), of("10.0.0.0/8", "11.0.0.1/32"));
    }

    @Test
    void elementsWeNeverWriteMakeTheSetUnreadable() throws Exception {
        assertEquals(Optional.empty(), kernel("[{\"elem\": {\"val\": {\"prefix\": {\"addr\": \"198.51.100.0\", \"len\": 24}},"
                + " \"comment\": \"x\"}}]"));
        assertEquals(Optional.empty(), kernel("[\"not-an-address\"]"));
        assertEquals(Optional.empty(), kernel("{\"prefix\": 1}"));
    }

    @Test
    void missingFromNamesWhatTheOtherSideLacks() {
        AddressRanges held = of("10.0.0.0/8", "172.16.0.0/12");
        AddressRanges wanted = of("10.0.0.0/8", "192.168.0.0/16");
        assertEquals(List.of("192.168.0.0/16"), wanted.missingFrom(held));
        assertEquals(List.of("172.16.0.0/12"), held.missingFrom(wanted));
    }
}
