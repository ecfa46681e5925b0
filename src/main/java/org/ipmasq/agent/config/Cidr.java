package org.ipmasq.agent.config;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.IncompatibleAddressException;
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
    private static final IPAddressStringParameters STRICT = strictParameters();

    private final IPAddress address;
    private final String text;

    private Cidr(IPAddress address) {
        this.address = address;
        this.text = InetText.format(address.getLower().getBytes()) + "/" + address.getNetworkPrefixLength();
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
            Cidr network = new Cidr(parsed.toPrefixBlock());
            throw new ConfigException("CIDR " + Quote.of(text) + " has host bits set; did you mean \"" + network.text + "\"?");
        }
        return new Cidr(parsed);
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
        String significant = digits.replaceFirst("^0+(?=.)", "");
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
