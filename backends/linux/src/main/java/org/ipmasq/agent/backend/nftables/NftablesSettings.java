package org.ipmasq.agent.backend.nftables;

import java.util.Optional;
import org.ipmasq.agent.core.ToPorts;

/**
 * What the nftables backend needs from the command line, and nothing else; the command line
 * builds it.
 *
 * @param randomFully whether masquerade statements get {@code random,fully}
 * @param toPorts the source port ranges for masquerade ({@code --to-ports}), or none
 * @param customIptablesChain a {@code --masq-chain} other than the default, which this backend
 *        cannot honour (it owns a table, not a chain) and says so
 */
public record NftablesSettings(boolean randomFully, ToPorts toPorts, Optional<String> customIptablesChain) {
}
