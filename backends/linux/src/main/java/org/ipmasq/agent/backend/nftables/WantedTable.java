package org.ipmasq.agent.backend.nftables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipmasq.agent.core.IpFamily;

/**
 * Our table of one family as the policy wants it. The layout never changes with the config:
 * two interval sets and two chains. A config change only changes set contents (and the
 * link-local rule), so most updates are a set refill that leaves the rules and their counters
 * alone.
 *
 * @param sets by name, in the order they are declared
 * @param chains in the order they are declared: a chain comes after the chains it jumps to
 */
record WantedTable(IpFamily family, String name, Map<String, AddressRanges> sets, List<WantedChain> chains) {

    WantedTable {
        sets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        chains = List.copyOf(chains);
    }

    String familyKeyword() {
        return NftFamily.keyword(family);
    }

    /** e.g. {@code ip ip-masq-agent}, as it follows {@code table}, {@code add table}, {@code delete table}. */
    String spec() {
        return familyKeyword() + " " + name;
    }
}
