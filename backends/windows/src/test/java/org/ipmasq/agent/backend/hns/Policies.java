package org.ipmasq.agent.backend.hns;

import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;

/** Policies for tests, written the way the config reads. */
final class Policies {

    /** The default document: RFC 1918 kept, link-local kept, IPv6 off. */
    static final MasqPolicy DEFAULTS = ipv4(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), List.of());

    /** The exceptions {@link #DEFAULTS} wants. */
    static final List<String> DEFAULT_EXCEPTIONS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "169.254.0.0/16");

    private Policies() {
    }

    static MasqPolicy ipv4(List<String> nonMasquerade, List<String> force) {
        return new MasqPolicy(family(IpFamily.IPV4, true, nonMasquerade, force), Optional.empty());
    }

    static MasqPolicy dualStack(List<String> nonMasquerade, List<String> nonMasqueradeV6) {
        return new MasqPolicy(family(IpFamily.IPV4, true, nonMasquerade, List.of()),
                Optional.of(family(IpFamily.IPV6, true, nonMasqueradeV6, List.of())));
    }

    static FamilyPolicy family(IpFamily family, boolean keepLinkLocal, List<String> nonMasquerade, List<String> force) {
        return new FamilyPolicy(family, keepLinkLocal, cidrs(force), cidrs(nonMasquerade));
    }

    static List<Cidr> cidrs(List<String> texts) {
        return texts.stream().map(Cidr::of).toList();
    }
}
