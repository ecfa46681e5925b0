package org.ipmasq.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A validated configuration document: what to leave alone, what to masquerade anyway, and how often
 * to re-check the rules. Immutable; built by {@link ConfigParser} or {@link #defaults}.
 *
 * @param nonMasqueradeCidrs destinations traffic to which is not masqueraded (each CIDR once)
 * @param forceMasqueradeCidrs destinations that are masqueraded even inside a non-masquerade range
 * @param cidrLimit largest allowed length of each list, a guard against runaway configs
 * @param masqLinkLocal whether 169.254.0.0/16 is masqueraded too
 * @param masqLinkLocalIPv6 whether fe80::/10 is masqueraded too
 * @param resyncInterval how often the rules are re-checked; positive
 */
public record MasqConfig(
        List<Cidr> nonMasqueradeCidrs,
        List<Cidr> forceMasqueradeCidrs,
        int cidrLimit,
        boolean masqLinkLocal,
        boolean masqLinkLocalIPv6,
        Duration resyncInterval) {

    public static final int DEFAULT_CIDR_LIMIT = 64;

    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(60);

    /** The private ranges of RFC 1918: the default non-masquerade list. */
    public static final List<Cidr> RFC1918 = List.of(
            Cidr.of("10.0.0.0/8"),
            Cidr.of("172.16.0.0/12"),
            Cidr.of("192.168.0.0/16"));

    /** Every reserved, non-internet IPv4 range: the default list with --nomasq-all-reserved-ranges. */
    public static final List<Cidr> ALL_RESERVED_RANGES = List.of(
            Cidr.of("10.0.0.0/8"),
            Cidr.of("172.16.0.0/12"),
            Cidr.of("192.168.0.0/16"),
            Cidr.of("100.64.0.0/10"),
            Cidr.of("192.0.0.0/24"),
            Cidr.of("192.0.2.0/24"),
            Cidr.of("192.88.99.0/24"),
            Cidr.of("198.18.0.0/15"),
            Cidr.of("198.51.100.0/24"),
            Cidr.of("203.0.113.0/24"),
            Cidr.of("240.0.0.0/4"));

    public MasqConfig {
        nonMasqueradeCidrs = List.copyOf(nonMasqueradeCidrs);
        forceMasqueradeCidrs = List.copyOf(forceMasqueradeCidrs);
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        if (cidrLimit < 0) {
            throw new IllegalArgumentException("cidrLimit must not be negative: " + cidrLimit);
        }
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("resyncInterval must be positive: " + resyncInterval);
        }
    }

    /** The configuration used when there is no config file or it sets nothing. */
    public static MasqConfig defaults(ParseContext ctx) {
        return new MasqConfig(ctx.defaultNonMasqueradeCidrs(), List.of(), DEFAULT_CIDR_LIMIT, false, false, DEFAULT_RESYNC);
    }

    /**
     * First 12 hex digits of the SHA-256 of a canonical rendering of all fields. Equal configs give
     * equal hashes in every process and version of the JVM, so health data can show which config is
     * active without printing it all.
     */
    public String hash() {
        return Sha256.hexPrefix(canonicalText(), 12);
    }

    /** One field per line, CIDRs in canonical text, the duration in nanoseconds-exact ISO form. */
    private String canonicalText() {
        return "nonMasqueradeCIDRs=" + joined(nonMasqueradeCidrs) + "\n"
                + "forceMasqueradeCIDRs=" + joined(forceMasqueradeCidrs) + "\n"
                + "cidrLimit=" + cidrLimit + "\n"
                + "masqLinkLocal=" + masqLinkLocal + "\n"
                + "masqLinkLocalIPv6=" + masqLinkLocalIPv6 + "\n"
                + "resyncInterval=" + resyncInterval + "\n";
    }

    private static String joined(List<Cidr> cidrs) {
        return cidrs.stream().map(Cidr::text).collect(Collectors.joining(","));
    }
}
