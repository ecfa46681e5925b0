package org.ipmasq.agent.config;

import java.util.List;

/**
 * What command-line flags change about reading a config document.
 *
 * @param ipv6Enabled whether IPv6 CIDRs are allowed ({@code --enable-ipv6})
 * @param defaultNonMasqueradeCidrs the non-masquerade list when the document does not set one
 */
public record ParseContext(boolean ipv6Enabled, List<Cidr> defaultNonMasqueradeCidrs) {

    public ParseContext {
        defaultNonMasqueradeCidrs = List.copyOf(defaultNonMasqueradeCidrs);
    }

    /**
     * @param allReservedRanges {@code --nomasq-all-reserved-ranges}: default to
     *     {@link MasqConfig#ALL_RESERVED_RANGES} instead of {@link MasqConfig#RFC1918}
     */
    public static ParseContext of(boolean ipv6Enabled, boolean allReservedRanges) {
        return new ParseContext(ipv6Enabled, allReservedRanges ? MasqConfig.ALL_RESERVED_RANGES : MasqConfig.RFC1918);
    }
}
