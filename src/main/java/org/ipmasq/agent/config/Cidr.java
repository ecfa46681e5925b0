package org.ipmasq.agent.config;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.IncompatibleAddressException;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.util.Objects;

/**
 * One CIDR block (network address plus prefix length), IPv4 or IPv6. Immutable; equal when the
 * canonical text is equal.
 *
 * <p>Parsing is as strict as Go's {@code net.ParseCIDR}, which the original agent used: configs
 * that Go rejected must not start to mean something here. On top of Go, host bits must be zero (the
 * Go agent checked that separately), since {@code 10.0.0.1/8} is almost always a typo.
 */
public final class Cidr {

    /**
     * Everything the ipaddress library accepts beyond plain dotted-quad / colon-hex notation is
     * switched off: wildcards, ranges, masks, inet_aton short and octal/hex forms, leading zeros in
     * IPv4 octets, binary, base85, zones, empty strings.
     */
    static final IPAddressStringParameters STRICT = strictParameters();

    private final IPAddress address;
    private final String text;

    private Cidr(IPAddress address, String text) {
        this.address = address;
        this.text = text;
    }

    private static String textOf(byte[] networkBytes, int prefixLength) {
        return InetText.format(networkBytes) + "/" + prefixLength;
    }

    /**
     * Parses {@code address/prefix-length}, e.g. {@code 10.0.0.0/8} or {@code fd00::/8}.
     *
     * @throws ConfigException naming the string and, where possible, what is wrong with it
     */
    public static Cidr parse(String text) throws ConfigException {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw invalid(text, "empty string");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i))) {
                throw invalid(text, "contains whitespace");
            }
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw invalid(text, "missing the /prefix-length, e.g. \"10.0.0.0/8\"");
        }
        String addressPart = text.substring(0, slash);
        int prefixLength = prefixLength(text, text.substring(slash + 1), addressPart.indexOf(':') >= 0 ? 128 : 32);

        byte[] plain = plainIPv4(addressPart);
        if (plain != null) {
            return ofIPv4(text, plain, prefixLength);
        }
        IPAddress parsed;
        try {
            // The prefix length was validated above; hand the library a normalised one so its own
            // prefix-length rules play no part.
            parsed = new IPAddressString(addressPart + "/" + prefixLength, STRICT).toAddress();
        } catch (AddressStringException | IncompatibleAddressException e) {
            throw invalid(text, libraryReason(e));
        }
        if (parsed.getNetworkPrefixLength() == null || parsed.getNetworkPrefixLength() != prefixLength) {
            throw invalid(text, "not an address with a prefix length"); // defensive: the library disagrees with us
        }
        if (!parsed.isPrefixBlock()) {
            throw hostBitsSet(text, textOf(parsed.toPrefixBlock().getBytes(), prefixLength));
        }
        // The block is built afresh from its bytes, and nothing is asked of it here. An address
        // straight from the parser keeps its parse state (the string, the parse tables, sections),
        // and each question asked of an address is cached in it (its lowest address, its bytes):
        // about 1.5 KiB per CIDR in all, 15 MiB held for a 10,000-CIDR config, which the collector
        // copies again at every young collection of the first pass.
        byte[] bytes = parsed.getBytes();
        IPAddress block = parsed.isIPv6() ? new IPv6Address(bytes, prefixLength) : new IPv4Address(bytes, prefixLength);
        return new Cidr(block, textOf(bytes, prefixLength));
    }

    /**
     * The bytes of a plain dotted quad (four decimal octets, 0 to 255, no leading zeros), the form
     * nearly every config uses; null for anything else, which the library then judges and explains.
     * The library accepts every plain dotted quad the same way, so the result is the same either
     * way, at a fraction of the cost: the library's parse of one address allocates about 1.5 KiB,
     * which for a 10,000-CIDR config was a fifth of the first pass (CidrTest compares the two).
     */
    static byte[] plainIPv4(String address) {
        if (address.length() < 7 || address.length() > 15) {
            return null;
        }
        byte[] bytes = new byte[4];
        int octet = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return null; // a leading zero: refused, in the library's words
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && octet < 3) {
                bytes[octet++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        if (octet != 3 || digits == 0) {
            return null;
        }
        bytes[3] = (byte) value;
        return bytes;
    }

    private static Cidr ofIPv4(String text, byte[] bytes, int prefixLength) throws ConfigException {
        int numeric = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        if ((numeric & ~mask) != 0) {
            int network = numeric & mask;
            byte[] networkBytes = {(byte) (network >>> 24), (byte) (network >>> 16), (byte) (network >>> 8), (byte) network};
            throw hostBitsSet(text, textOf(networkBytes, prefixLength));
        }
        return new Cidr(new IPv4Address(bytes, prefixLength), textOf(bytes, prefixLength));
    }

    private static ConfigException hostBitsSet(String text, String network) {
        return new ConfigException("CIDR " + Quote.of(text) + " has host bits set; did you mean \"" + network + "\"?");
    }

    /**
     * Like {@link #parse} for constants and tests, where a bad CIDR is a programming error.
     *
     * @throws IllegalArgumentException if the text is not a valid CIDR
     */
    public static Cidr of(String text) {
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public boolean isIPv6() {
        return address.isIPv6();
    }

    /** Canonical text, exactly as iptables-save prints it: {@code 10.0.0.0/8}, {@code fd00::/8}. */
    public String text() {
        return text;
    }

    /** The prefix block this CIDR stands for. */
    public IPAddress address() {
        return address;
    }

    /** Whether every address of {@code other} lies in this block; false across IP versions. */
    public boolean contains(Cidr other) {
        return address.isIPv6() == other.address.isIPv6() && address.contains(other.address);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && text.equals(cidr.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /** Go's dtoi: one or more ASCII digits (leading zeros allowed), then the range check. */
    private static int prefixLength(String text, String digits, int addressBits) throws ConfigException {
        if (digits.isEmpty()) {
            throw invalid(text, "missing the prefix length after \"/\"");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw invalid(text, "prefix length " + Quote.of(digits) + " is not a number");
            }
        }
        // Leading zeros dropped by hand: a regular expression here compiled once per CIDR.
        int firstSignificant = 0;
        while (firstSignificant < digits.length() - 1 && digits.charAt(firstSignificant) == '0') {
            firstSignificant++;
        }
        String significant = digits.substring(firstSignificant);
        if (significant.length() > 3 || Integer.parseInt(significant) > addressBits) {
            throw invalid(text, "prefix length " + significant + " is larger than " + addressBits);
        }
        return Integer.parseInt(significant);
    }

    /** The library's message minus its "<input> IP Address error: " preamble. */
    private static String libraryReason(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int marker = message.indexOf("error: ");
        String reason = marker >= 0 ? message.substring(marker + "error: ".length()) : message;
        return reason.isBlank() ? "not an IP address" : reason.strip();
    }

    private static ConfigException invalid(String text, String reason) {
        return new ConfigException("invalid CIDR " + Quote.of(text) + ": " + reason);
    }

    private static IPAddressStringParameters strictParameters() {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .setEmptyAsLoopback(false)
                .allowAll(false)
                .allowSingleSegment(false)
                .allowPrefix(true)
                .allowMask(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        builder.getIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowBinary(false)
                .allowLeadingZeros(false) // Go rejects "010.0.0.0" (it would be octal to inet_aton)
                .allowUnlimitedLeadingZeros(false)
                .allowPrefixLengthLeadingZeros(true) // the library counts "/0" as a leading zero; checked above
                .allowPrefixesBeyondAddressSize(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        builder.getIPv6AddressParametersBuilder()
                .allowBase85(false)
                .allowZone(false) // Go's ParseCIDR rejects zones
                .allowEmptyZone(false)
                .allowMixed(true) // "::ffff:10.0.0.0/104" is valid in Go
                .allow_mixed_inet_aton(false)
                .allowBinary(false)
                .allowLeadingZeros(true) // Go accepts up to four hex digits per group, "0fd0"
                .allowUnlimitedLeadingZeros(false)
                .allowPrefixLengthLeadingZeros(true) // the library counts "/0" as a leading zero; checked above
                .allowPrefixesBeyondAddressSize(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        builder.getIPv6AddressParametersBuilder().getEmbeddedIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowBinary(false)
                .allowLeadingZeros(false)
                .allowUnlimitedLeadingZeros(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        return builder.toParams();
    }
}
