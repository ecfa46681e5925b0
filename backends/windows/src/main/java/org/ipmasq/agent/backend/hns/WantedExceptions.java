package org.ipmasq.agent.backend.hns;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;

/**
 * The OutBoundNAT exception list per family (behaviour.md section 4): the non-masquerade ranges
 * minus the forced ones, then link-local unless it is masqueraded. IPv6 has a list only when
 * IPv6 is enabled.
 *
 * <p>"Minus" follows what the Linux chain does, where the forced MASQUERADE rules come before the
 * non-masquerade RETURNs: a kept range equal to or inside a forced range is dropped. A forced
 * range strictly inside a kept range cannot be expressed: exceptions are a plain list of
 * destinations with no "except", so the kept range stays and the forced range is NOT
 * masqueraded on Windows. {@link #inexpressible} names those cases for a warning. Link-local is
 * kept even when a forced range covers it, as on Linux, where its RETURN comes first.
 */
record WantedExceptions(List<String> ipv4, Optional<List<String>> ipv6) {

    WantedExceptions {
        ipv4 = List.copyOf(ipv4);
        ipv6 = ipv6.map(List::copyOf);
    }

    static WantedExceptions of(MasqPolicy policy) {
        return new WantedExceptions(exceptions(policy.ipv4()), policy.ipv6().map(WantedExceptions::exceptions));
    }

    /** The list for {@code family}, or empty when the agent does not manage that family. */
    Optional<List<String>> forFamily(IpFamily family) {
        return family == IpFamily.IPV4 ? Optional.of(ipv4) : ipv6;
    }

    private static List<String> exceptions(FamilyPolicy family) {
        Set<String> out = new LinkedHashSet<>();
        for (Cidr kept : family.nonMasquerade()) {
            if (family.forceMasquerade().stream().noneMatch(forced -> forced.contains(kept))) {
                out.add(kept.text());
            }
        }
        if (family.keepLinkLocal()) {
            out.add(family.family().linkLocal().text());
        }
        return List.copyOf(out);
    }

    /** One sentence per forced range that lies strictly inside a kept one (see the class comment). */
    static List<String> inexpressible(MasqPolicy policy) {
        List<String> warnings = new ArrayList<>();
        for (FamilyPolicy family : policy.families()) {
            for (Cidr kept : family.nonMasquerade()) {
                if (family.forceMasquerade().stream().anyMatch(forced -> forced.contains(kept))) {
                    continue; // dropped whole, nothing inexpressible about it
                }
                for (Cidr forced : family.forceMasquerade()) {
                    if (kept.contains(forced)) {
                        warnings.add("forceMasqueradeCIDRs entry " + forced + " lies inside nonMasqueradeCIDRs entry "
                                + kept + ": an HNS OutBoundNAT exception list cannot say \"except\", so on Windows "
                                + kept + " stays an exception and " + forced + " is NOT masqueraded. To masquerade it "
                                + "there, list the parts of " + kept + " around it instead of " + kept + ".");
                    }
                }
            }
        }
        return List.copyOf(warnings);
    }
}
