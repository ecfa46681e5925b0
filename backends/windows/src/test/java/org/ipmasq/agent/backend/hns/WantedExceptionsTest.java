package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqPolicy;
import org.junit.jupiter.api.Test;

/** behaviour.md section 4: (nonMasqueradeCIDRs - forceMasqueradeCIDRs) + link-local, per family. */
class WantedExceptionsTest {

    @Test
    void theDefaultsAreRfc1918ThenLinkLocal() {
        assertEquals(Policies.DEFAULT_EXCEPTIONS, WantedExceptions.of(Policies.DEFAULTS).ipv4());
        assertEquals(Optional.empty(), WantedExceptions.of(Policies.DEFAULTS).forFamily(IpFamily.IPV6));
    }

    @Test
    void masqLinkLocalDropsLinkLocal() {
        MasqPolicy policy = new MasqPolicy(Policies.family(IpFamily.IPV4, false, List.of("10.0.0.0/8"), List.of()),
                Optional.empty());

        assertEquals(List.of("10.0.0.0/8"), WantedExceptions.of(policy).ipv4());
    }

    @Test
    void anEmptyListMeansOnlyLinkLocal() {
        assertEquals(List.of("169.254.0.0/16"), WantedExceptions.of(Policies.ipv4(List.of(), List.of())).ipv4());
    }

    @Test
    void anExactForcedEntryIsDropped() {
        MasqPolicy policy = Policies.ipv4(List.of("10.0.0.0/8", "172.16.0.0/12"), List.of("172.16.0.0/12"));

        assertEquals(List.of("10.0.0.0/8", "169.254.0.0/16"), WantedExceptions.of(policy).ipv4());
        assertEquals(List.of(), WantedExceptions.inexpressible(policy));
    }

    @Test
    void aKeptRangeInsideAForcedOneIsDroppedAsOnLinuxWhereForcedRulesComeFirst() {
        MasqPolicy policy = Policies.ipv4(List.of("10.1.0.0/16", "192.168.0.0/16"), List.of("10.0.0.0/8"));

        assertEquals(List.of("192.168.0.0/16", "169.254.0.0/16"), WantedExceptions.of(policy).ipv4());
        assertEquals(List.of(), WantedExceptions.inexpressible(policy));
    }

    @Test
    void aForcedRangeInsideAKeptOneCannotBeExpressedAndIsNamed() {
        MasqPolicy policy = Policies.ipv4(List.of("10.0.0.0/8"), List.of("10.100.10.0/24"));

        assertEquals(List.of("10.0.0.0/8", "169.254.0.0/16"), WantedExceptions.of(policy).ipv4());
        assertEquals(List.of("forceMasqueradeCIDRs entry 10.100.10.0/24 lies inside nonMasqueradeCIDRs entry "
                + "10.0.0.0/8: an HNS OutBoundNAT exception list cannot say \"except\", so on Windows 10.0.0.0/8 stays "
                + "an exception and 10.100.10.0/24 is NOT masqueraded. To masquerade it there, list the parts of "
                + "10.0.0.0/8 around it instead of 10.0.0.0/8."), WantedExceptions.inexpressible(policy));
    }

    @Test
    void linkLocalStaysEvenWhenAForcedRangeCoversItAsTheLinuxChainKeepsItFirst() {
        MasqPolicy policy = Policies.ipv4(List.of("10.0.0.0/8"), List.of("169.254.169.0/24"));

        assertEquals(List.of("10.0.0.0/8", "169.254.0.0/16"), WantedExceptions.of(policy).ipv4());
        assertEquals(List.of(), WantedExceptions.inexpressible(policy));
    }

    @Test
    void ipv6HasItsOwnListWithItsOwnLinkLocal() {
        MasqPolicy policy = Policies.dualStack(List.of("10.0.0.0/8"), List.of("fd00::/8"));

        WantedExceptions wanted = WantedExceptions.of(policy);

        assertEquals(List.of("10.0.0.0/8", "169.254.0.0/16"), wanted.ipv4());
        assertEquals(Optional.of(List.of("fd00::/8", "fe80::/10")), wanted.forFamily(IpFamily.IPV6));
    }

    @Test
    void duplicatesAreWrittenOnce() {
        assertEquals(List.of("169.254.0.0/16", "10.0.0.0/8"),
                WantedExceptions.of(Policies.ipv4(List.of("169.254.0.0/16", "10.0.0.0/8"), List.of())).ipv4());
    }
}
