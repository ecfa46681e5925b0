package org.ipmasq.agent.backend.nftables;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A rule as {@code nft -j list table} printed it: its expressions and comment (handles are ignored). */
record HeldRule(JsonNode expr, Optional<String> comment) {
}
