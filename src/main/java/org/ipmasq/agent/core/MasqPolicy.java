package org.ipmasq.agent.core;

import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.config.MasqConfig;

/** The validated document reduced to what backends act on, split by address family. */
public record MasqPolicy(FamilyPolicy ipv4, Optional<FamilyPolicy> ipv6) {

    public static MasqPolicy from(MasqConfig config, boolean ipv6Enabled) {
        FamilyPolicy v4 = family(IpFamily.IPV4, !config.masqLinkLocal(), config);
        Optional<FamilyPolicy> v6 = ipv6Enabled
                ? Optional.of(family(IpFamily.IPV6, !config.masqLinkLocalIPv6(), config))
                : Optional.empty();
        return new MasqPolicy(v4, v6);
    }

    private static FamilyPolicy family(IpFamily family, boolean keepLinkLocal, MasqConfig config) {
        return new FamilyPolicy(family, keepLinkLocal,
                of(family, config.forceMasqueradeCidrs()), of(family, config.nonMasqueradeCidrs()));
    }

    private static List<Cidr> of(IpFamily family, List<Cidr> cidrs) {
        return cidrs.stream().filter(family::contains).toList();
    }

    public List<FamilyPolicy> families() {
        return ipv6.map(v6 -> List.of(ipv4, v6)).orElse(List.of(ipv4));
    }
}
