package org.ipmasq.agent.backend.nftables;

/**
 * What makes a chain a base chain: the hook it is attached to, its type, priority and policy,
 * in the terms {@code nft -j} prints them ({@code "prio": 100}).
 */
record BaseChain(String type, String hook, int priority, String policy) {

    /** NAT on the way out, at the priority iptables' nat POSTROUTING uses too. */
    static final BaseChain SRCNAT = new BaseChain("nat", "postrouting", 100, "accept");

    /** The declaration that goes after {@code add chain}; 100 is spelled srcnat, as nft lists it. */
    String declaration() {
        String prio = hook.equals("postrouting") && priority == 100 ? "srcnat" : Integer.toString(priority);
        return "{ type " + type + " hook " + hook + " priority " + prio + "; policy " + policy + "; }";
    }

    /** For log lines: {@code nat postrouting priority 100 policy accept}. */
    String describe() {
        return type + " " + hook + " priority " + priority + " policy " + policy;
    }
}
