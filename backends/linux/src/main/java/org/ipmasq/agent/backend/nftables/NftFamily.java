package org.ipmasq.agent.backend.nftables;

import org.ipmasq.agent.core.IpFamily;

/** How nftables spells each address family: table family, set element type, payload protocol. */
final class NftFamily {

    private NftFamily() {
    }

    /** The table family keyword, also the payload protocol of {@code ip daddr} / {@code ip6 daddr}. */
    static String keyword(IpFamily family) {
        return family == IpFamily.IPV4 ? "ip" : "ip6";
    }

    /** The element type of an address set of this family. */
    static String addressType(IpFamily family) {
        return family == IpFamily.IPV4 ? "ipv4_addr" : "ipv6_addr";
    }

    /** Prefix for log lines, the same words the iptables backend uses. */
    static String label(IpFamily family) {
        return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }
}
