package org.ipmasq.agent.backend.hns;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.core.IpFamily;

/**
 * Which address family an OutBoundNAT policy serves, the same rule for CNI confs and HNS
 * endpoints: the IPv6 flag bit ({@code Flags} bit 2, NatFlagsIPv6) when set; else an IPv6
 * {@code VirtualIP}; else the addresses already in its exception list and {@code Destinations};
 * only when nothing tells, IPv4. Public examples of dual-stack confs (sdnbridge) mark the IPv6
 * policy by its VirtualIP and addresses only, without the flag, so the flag alone is not enough.
 *
 * <p>Addresses of both families with neither flag nor IPv6 VirtualIP contradict each other:
 * {@link #of} answers empty and the caller leaves the policy alone rather than guess.
 */
final class NatFamily {

    /** Why a policy with addresses of both families is left alone. */
    static final String CONTRADICTION = "its addresses are of both families, and neither Flags bit 2 (IPv6) nor an "
            + "IPv6 VirtualIP says which one it serves; left alone rather than guessed";

    private NatFamily() {
    }

    /**
     * @param flags the policy's Flags (0 when absent)
     * @param virtualIp its VirtualIP (or v1 VIP), when it has one
     * @param exceptions the entries of its exception list
     * @param destinations the entries of its Destinations
     */
    static Optional<IpFamily> of(long flags, Optional<String> virtualIp, List<String> exceptions,
            List<String> destinations) {
        if ((flags & OutboundNat.FLAG_IPV6) != 0) {
            return Optional.of(IpFamily.IPV6);
        }
        if (virtualIp.flatMap(NatFamily::familyOf).filter(f -> f == IpFamily.IPV6).isPresent()) {
            return Optional.of(IpFamily.IPV6);
        }
        Set<IpFamily> seen = EnumSet.noneOf(IpFamily.class);
        exceptions.forEach(e -> familyOf(e).ifPresent(seen::add));
        destinations.forEach(d -> familyOf(d).ifPresent(seen::add));
        if (seen.size() > 1) {
            return Optional.empty();
        }
        return Optional.of(seen.isEmpty() ? IpFamily.IPV4 : seen.iterator().next());
    }

    /** The family of an address or CIDR as written; empty for anything else (an empty VIP, a typo). */
    static Optional<IpFamily> familyOf(String text) {
        String trimmed = text.strip();
        if (trimmed.indexOf('.') < 0 && trimmed.indexOf(':') < 0) {
            return Optional.empty();
        }
        IPAddress address = new IPAddressString(trimmed).getAddress();
        if (address == null) {
            return Optional.empty();
        }
        return Optional.of(address.isIPv6() ? IpFamily.IPV6 : IpFamily.IPV4);
    }

}
