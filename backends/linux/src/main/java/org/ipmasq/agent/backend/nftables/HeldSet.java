package org.ipmasq.agent.backend.nftables;

import java.util.List;
import java.util.Optional;

/**
 * A set as {@code nft -j} printed it. {@code contents} is empty when an element is not a plain
 * address, prefix or range (someone added an element with a comment or timeout): such a set is
 * refilled rather than guessed at.
 */
record HeldSet(String type, List<String> flags, Optional<AddressRanges> contents) {

    HeldSet {
        flags = List.copyOf(flags);
    }
}
