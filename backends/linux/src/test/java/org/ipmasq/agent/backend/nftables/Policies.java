package org.ipmasq.agent.backend.nftables;

import java.util.Arrays;
import java.util.List;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;

/** Shorthands for the nftables tests. */
final class Policies {

    static final List<String> DEFAULTS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

    private Policies() {
    }

    static List<Cidr> cidrs(String... texts) {
        return Arrays.stream(texts).map(Cidr::of).toList();
    }

    static FamilyPolicy v4(boolean keepLinkLocal, List<String> force, List<String> nonMasquerade) {
        return new FamilyPolicy(IpFamily.IPV4, keepLinkLocal, cidrs(force.toArray(String[]::new)),
                cidrs(nonMasquerade.toArray(String[]::new)));
    }

    static FamilyPolicy defaultV4() {
        return v4(true, List.of(), DEFAULTS);
    }

    static FamilyPolicy defaultV6() {
        return new FamilyPolicy(IpFamily.IPV6, true, List.of(), List.of());
    }

    /** The renderer the agent builds from default flags. */
    static TableRenderer renderer() {
        return new TableRenderer("ip-masq-agent", true, ToPorts.NONE);
    }
}
