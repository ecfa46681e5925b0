package org.ipmasq.agent.backend.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IncompatibleAddressException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.config.Cidr;

/**
 * The contents of an interval set reduced to what decides matching: the addresses covered, as
 * sorted, merged ranges. The kernel does not print back what was written (auto-merge joins
 * overlapping and adjacent pieces, and a merged piece prints as a prefix when it is one and as a
 * range otherwise), so both the wanted CIDRs and the kernel's elements are brought to this one
 * form before they are compared. Immutable.
 */
final class AddressRanges {

    static final AddressRanges EMPTY = new AddressRanges(List.of());

    private static final Comparator<IPAddressSeqRange> BY_LOWER = (a, b) -> a.getLower().compareTo(b.getLower());

    private final List<IPAddressSeqRange> ranges;

    private AddressRanges(List<IPAddressSeqRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    static AddressRanges of(Collection<Cidr> cidrs) {
        return merged(cidrs.stream().map(c -> c.address().toPrefixBlock().toSequentialRange()).toList());
    }

    /**
     * Reads the {@code elem} array of a set as {@code nft -j} prints it: plain addresses, {@code
     * prefix} and {@code range} objects. Anything else (an element with a comment, a timeout, a
     * counter) is not something we write, so the set is reported as unreadable and gets refilled.
     */
    static Optional<AddressRanges> fromJson(JsonNode elements) {
        if (elements == null || elements.isNull()) {
            return Optional.of(EMPTY);
        }
        if (!elements.isArray()) {
            return Optional.empty();
        }
        List<IPAddressSeqRange> ranges = new ArrayList<>();
        for (JsonNode element : elements) {
            Optional<IPAddressSeqRange> range = range(element);
            if (range.isEmpty()) {
                return Optional.empty();
            }
            ranges.add(range.get());
        }
        return Optional.of(merged(ranges));
    }

    private static Optional<IPAddressSeqRange> range(JsonNode element) {
        try {
            if (element.isTextual()) {
                return Optional.of(address(element.asText()).toSequentialRange());
            }
            JsonNode prefix = element.get("prefix");
            if (prefix != null && prefix.path("addr").isTextual() && prefix.path("len").isInt()) {
                IPAddress block = new IPAddressString(prefix.get("addr").asText() + "/" + prefix.get("len").asInt())
                        .toAddress().toPrefixBlock();
                return Optional.of(block.toSequentialRange());
            }
            JsonNode range = element.get("range");
            if (range != null && range.isArray() && range.size() == 2 && range.get(0).isTextual()
                    && range.get(1).isTextual()) {
                return Optional.of(address(range.get(0).asText()).spanWithRange(address(range.get(1).asText())));
            }
        } catch (AddressStringException | IncompatibleAddressException | IllegalArgumentException unreadable) {
            // falls through: an element we cannot read is treated like a foreign one
        }
        return Optional.empty();
    }

    private static IPAddress address(String text) throws AddressStringException {
        IPAddress address = new IPAddressString(text).toAddress();
        if (address.isPrefixed()) {
            throw new AddressStringException("unexpected prefix in element " + text);
        }
        return address;
    }

    private static AddressRanges merged(List<IPAddressSeqRange> pieces) {
        if (pieces.isEmpty()) {
            return EMPTY;
        }
        // join() merges overlapping and adjacent ranges; the sort makes the order canonical.
        List<IPAddressSeqRange> joined = new ArrayList<>(List.of(
                IPAddressSeqRange.join(pieces.toArray(IPAddressSeqRange[]::new))));
        joined.sort(BY_LOWER);
        return new AddressRanges(joined);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    int size() {
        return ranges.size();
    }

    /**
     * Each merged range as an nft set element, in the form {@code nft list} prints it back: a
     * single address, a prefix when the range is exactly one block, else {@code first-last}.
     */
    List<String> elements() {
        return ranges.stream().map(AddressRanges::element).toList();
    }

    private static String element(IPAddressSeqRange range) {
        IPAddress[] blocks = range.spanWithPrefixBlocks();
        String lower = text(range.getLower());
        if (blocks.length != 1) {
            return lower + "-" + text(range.getUpper());
        }
        int length = blocks[0].getPrefixLength() == null ? range.getBitCount() : blocks[0].getPrefixLength();
        return length == range.getBitCount() ? lower : lower + "/" + length;
    }

    private static String text(IPAddress address) {
        return address.withoutPrefixLength().toCanonicalString();
    }

    /** Elements of this that {@code other} does not hold exactly, e.g. for "+10.1.0.0/16" in a log line. */
    List<String> missingFrom(AddressRanges other) {
        Set<IPAddressSeqRange> theirs = new HashSet<>(other.ranges);
        return ranges.stream().filter(r -> !theirs.contains(r)).map(AddressRanges::element).toList();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRanges that && ranges.equals(that.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return elements().toString();
    }
}
