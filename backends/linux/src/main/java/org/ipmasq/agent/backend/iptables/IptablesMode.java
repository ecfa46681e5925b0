package org.ipmasq.agent.backend.iptables;

import org.ipmasq.agent.core.IpFamily;

/**
 * The iptables flavour in use. LEGACY and NFT name the suffixed binaries Debian and most images
 * ship side by side; SYSTEM is the unsuffixed binary, for hosts that have only one flavour.
 */
enum IptablesMode {
    LEGACY("-legacy"),
    NFT("-nft"),
    SYSTEM("");

    private final String suffix;

    IptablesMode(String suffix) {
        this.suffix = suffix;
    }

    String label() {
        return this == SYSTEM ? "system" : name().toLowerCase(java.util.Locale.ROOT);
    }

    String iptables(IpFamily family) {
        return (family == IpFamily.IPV4 ? "iptables" : "ip6tables") + suffix;
    }

    String save(IpFamily family) {
        return iptables(family) + "-save";
    }

    String restore(IpFamily family) {
        return iptables(family) + "-restore";
    }
}
