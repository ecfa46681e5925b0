package org.ipmasq.agent.backend.nftables;

import java.util.List;
import java.util.Optional;

/** A chain as {@code nft -j} printed it: base-chain attributes if it has a hook, and its rules in order. */
record HeldChain(Optional<BaseChain> base, List<HeldRule> rules) {

    HeldChain {
        rules = List.copyOf(rules);
    }
}
