package org.ipmasq.agent.backend.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ipmasq.agent.backend.linux.RuleComments;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.core.FamilyPolicy;

/**
 * Renders the wanted chain as rule lines in exactly the form {@code iptables-save} prints them,
 * so "what the kernel holds" and "what we want" compare as plain strings and an idle resync
 * writes nothing.
 */
final class RuleRenderer {

    static final String RETURN_COMMENT = RuleComments.RETURN;
    static final String MASQUERADE_COMMENT = RuleComments.MASQUERADE;
    static final String FORCE_COMMENT = RuleComments.FORCE;
    private static final String NOT_LOCAL = "-m addrtype ! --dst-type LOCAL";

    private final String chain;
    private final boolean randomFully;
    private final ToPorts toPorts;

    RuleRenderer(String chain, boolean randomFully, ToPorts toPorts) {
        this.chain = chain;
        this.randomFully = randomFully;
        this.toPorts = toPorts;
    }

    String chain() {
        return chain;
    }

    static String jumpComment(String chain) {
        return "ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom "
                + chain + " chain";
    }

    /** The one POSTROUTING rule that sends non-local destinations to our chain. */
    String jumpRule() {
        return "-A POSTROUTING -m comment --comment " + RuleText.quote(jumpComment(chain)) + " " + NOT_LOCAL + " -j " + chain;
    }

    /** The chain's rules in order: link-local, forced masquerade, non-masquerade, masquerade. */
    List<String> chainRules(FamilyPolicy policy) {
        List<String> rules = new ArrayList<>();
        if (policy.keepLinkLocal()) {
            rules.add(returnRule(policy.family().linkLocal()));
        }
        for (Cidr forced : policy.forceMasquerade()) {
            rules.addAll(masqueradeRules("-d " + forced.text() + " ", FORCE_COMMENT));
        }
        for (Cidr kept : policy.nonMasquerade()) {
            rules.add(returnRule(kept));
        }
        rules.addAll(masqueradeRules("", MASQUERADE_COMMENT));
        return rules;
    }

    private String returnRule(Cidr cidr) {
        return "-A " + chain + " -d " + cidr.text() + " -m comment --comment " + RuleText.quote(RETURN_COMMENT)
                + " " + NOT_LOCAL + " -j RETURN";
    }

    /**
     * The MASQUERADE rules for one destination: with --to-ports, per protocol one rule per port
     * range, each taking its share of new connections by port count; then the catch-all rule.
     */
    private List<String> masqueradeRules(String destination, String comment) {
        List<String> rules = new ArrayList<>();
        String prefix = "-A " + chain + " " + destination;
        String matches = "-m comment --comment " + RuleText.quote(comment) + " " + NOT_LOCAL;
        if (!toPorts.isEmpty()) {
            for (String protocol : RuleComments.TO_PORTS_PROTOCOLS) {
                for (ToPorts.Share share : toPorts.shares()) {
                    String statistic = share.last() ? "" : " -m statistic --mode random --probability "
                            + probability((double) share.range().size() / share.portsFromHere());
                    rules.add(prefix + "-p " + protocol + " " + matches + statistic + " -j MASQUERADE --to-ports "
                            + share.range().text() + randomFullySuffix());
                }
            }
        }
        rules.add(prefix + matches + " -j MASQUERADE" + randomFullySuffix());
        return rules;
    }

    private String randomFullySuffix() {
        return randomFully ? " --random-fully" : "";
    }

    /**
     * The kernel keeps the probability as a 31-bit fraction and iptables-save prints it with 11
     * decimals; rendering the same rounding makes our text equal to what save prints back.
     */
    static String probability(double p) {
        long fixed = Math.round(p * 0x80000000L);
        return String.format(Locale.ROOT, "%.11f", fixed / (double) 0x80000000L);
    }
}
