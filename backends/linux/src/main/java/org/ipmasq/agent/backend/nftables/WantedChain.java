package org.ipmasq.agent.backend.nftables;

import java.util.List;
import java.util.Optional;

/** A chain of our table as it should be: base-chain attributes if any, and its rules in order. */
record WantedChain(String name, Optional<BaseChain> base, List<NftRule> rules) {

    WantedChain {
        rules = List.copyOf(rules);
    }

    /** Whether the kernel's chain holds exactly these rules, in this order. */
    boolean sameRules(List<HeldRule> held) {
        if (held.size() != rules.size()) {
            return false;
        }
        for (int i = 0; i < rules.size(); i++) {
            if (!rules.get(i).sameAs(held.get(i))) {
                return false;
            }
        }
        return true;
    }
}
