package org.ipmasq.agent.backend.linux;

import java.util.List;

/**
 * What both Linux backends write beside their rules. The first two are the original agent's
 * comments, word for word, because operators grep for them and the seed document shows them.
 */
public final class RuleComments {

    public static final String RETURN = "ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE";
    public static final String MASQUERADE = "ip-masq-agent: outbound traffic should be subject to MASQUERADE "
            + "(this match must come after cluster-local CIDR matches)";
    public static final String FORCE = "ip-masq-agent: forceMasqueradeCIDRs destination is always subject to MASQUERADE";

    /** The protocols --to-ports applies to (MASQUERADE can only pick ports for these). */
    public static final List<String> TO_PORTS_PROTOCOLS = List.of("tcp", "udp", "sctp");

    private RuleComments() {
    }
}
