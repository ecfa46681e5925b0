package org.ipmasq.agent.backend.iptables;

import org.ipmasq.agent.core.ToPorts;

/**
 * What the iptables backend needs from the command line, and nothing else; the command line
 * builds it.
 *
 * @param chain the nat chain to own ({@code --masq-chain})
 * @param randomFully whether MASQUERADE should get {@code --random-fully} where this iptables supports it
 * @param toPorts the source port ranges for MASQUERADE ({@code --to-ports}), or none
 * @param enableIpv6 whether ip6tables is programmed too
 * @param mode which iptables flavour to drive ({@code --iptables-mode})
 */
public record IptablesSettings(String chain, boolean randomFully, ToPorts toPorts, boolean enableIpv6,
        IptablesModeOption mode) {
}
