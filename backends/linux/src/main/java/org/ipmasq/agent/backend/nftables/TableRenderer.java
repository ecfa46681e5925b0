package org.ipmasq.agent.backend.nftables;

import org.ipmasq.agent.backend.linux.RuleComments;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.PortRange;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.core.FamilyPolicy;

/**
 * Renders a family's policy as our table: the same decisions as the iptables chain, in the same
 * order, but with the CIDR lists in interval sets so a packet costs one lookup however long the
 * lists are.
 *
 * <pre>
 * chain postrouting (nat, postrouting, srcnat)
 *   fib daddr type local return            local destinations are never touched
 *   ip daddr 169.254.0.0/16 return         unless masqLinkLocal
 *   ip daddr @force-masquerade goto do-masquerade
 *   ip daddr @non-masquerade return
 *   goto do-masquerade
 * chain do-masquerade
 *   [--to-ports rules per protocol and range]
 *   masquerade [fully-random]
 * </pre>
 */
final class TableRenderer {

    static final String POSTROUTING = "postrouting";
    static final String MASQUERADE_CHAIN = "do-masquerade";
    static final String NON_MASQUERADE_SET = "non-masquerade";
    static final String FORCE_MASQUERADE_SET = "force-masquerade";

    static final String LOCAL_COMMENT = "ip-masq-agent: local destinations are never subject to MASQUERADE";
    static final String LINK_LOCAL_COMMENT = "ip-masq-agent: link-local traffic should not be subject to MASQUERADE";
    static final String FORCE_COMMENT = RuleComments.FORCE;
    static final String RETURN_COMMENT = RuleComments.RETURN;
    static final String MASQUERADE_COMMENT = RuleComments.MASQUERADE;
    private static final List<String> TO_PORTS_PROTOCOLS = RuleComments.TO_PORTS_PROTOCOLS;

    private final String table;
    private final boolean randomFully;
    private final ToPorts toPorts;

    TableRenderer(String table, boolean randomFully, ToPorts toPorts) {
        this.table = table;
        this.randomFully = randomFully;
        this.toPorts = toPorts;
    }

    String table() {
        return table;
    }

    WantedTable wanted(FamilyPolicy policy) {
        Map<String, AddressRanges> sets = new LinkedHashMap<>();
        sets.put(NON_MASQUERADE_SET, AddressRanges.of(policy.nonMasquerade()));
        sets.put(FORCE_MASQUERADE_SET, AddressRanges.of(policy.forceMasquerade()));
        WantedChain masquerade = new WantedChain(MASQUERADE_CHAIN, Optional.empty(), masqueradeRules());
        WantedChain postrouting = new WantedChain(POSTROUTING, Optional.of(BaseChain.SRCNAT), postroutingRules(policy));
        return new WantedTable(policy.family(), table, sets, List.of(masquerade, postrouting));
    }

    private static List<NftRule> postroutingRules(FamilyPolicy policy) {
        String protocol = NftFamily.keyword(policy.family());
        List<NftRule> rules = new ArrayList<>();
        rules.add(NftRule.of("fib daddr type local return",
                Expr.list(Expr.match("==", Expr.fibDaddrType(), Expr.text("local")), Expr.verdictReturn()),
                LOCAL_COMMENT));
        if (policy.keepLinkLocal()) {
            Cidr linkLocal = policy.family().linkLocal();
            rules.add(NftRule.of(protocol + " daddr " + linkLocal.text() + " return",
                    Expr.list(Expr.match("==", Expr.daddr(protocol), prefix(linkLocal)), Expr.verdictReturn()),
                    LINK_LOCAL_COMMENT));
        }
        rules.add(NftRule.of(protocol + " daddr @" + FORCE_MASQUERADE_SET + " goto " + MASQUERADE_CHAIN,
                Expr.list(Expr.match("==", Expr.daddr(protocol), Expr.text("@" + FORCE_MASQUERADE_SET)),
                        Expr.verdictGoto(MASQUERADE_CHAIN)),
                FORCE_COMMENT));
        rules.add(NftRule.of(protocol + " daddr @" + NON_MASQUERADE_SET + " return",
                Expr.list(Expr.match("==", Expr.daddr(protocol), Expr.text("@" + NON_MASQUERADE_SET)),
                        Expr.verdictReturn()),
                RETURN_COMMENT));
        rules.add(NftRule.of("goto " + MASQUERADE_CHAIN, Expr.list(Expr.verdictGoto(MASQUERADE_CHAIN)),
                MASQUERADE_COMMENT));
        return rules;
    }

    private static JsonNode prefix(Cidr cidr) {
        String text = cidr.text();
        int slash = text.indexOf('/');
        return Expr.prefix(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1)));
    }

    /**
     * With --to-ports, per protocol one rule per range. Range i takes a new connection with
     * probability size(i) / (ports in ranges i..n), exactly, by comparing {@code numgen random
     * mod <ports left>} with the range's size: connections spread over the ports evenly, as
     * iptables' statistic rules do, without its rounding. The last range takes whatever is left,
     * then the bare masquerade catches protocols without ports.
     */
    private List<NftRule> masqueradeRules() {
        List<NftRule> rules = new ArrayList<>();
        for (String protocol : TO_PORTS_PROTOCOLS) {
            for (ToPorts.Share share : toPorts.shares()) {
                PortRange range = share.range();
                StringBuilder statement = new StringBuilder("meta l4proto " + protocol);
                List<JsonNode> expr = new ArrayList<>();
                expr.add(Expr.match("==", Expr.l4proto(), Expr.text(protocol)));
                if (!share.last()) {
                    statement.append(" numgen random mod ").append(share.portsFromHere()).append(" < ")
                            .append(range.size());
                    expr.add(Expr.match("<", Expr.randomBelow(share.portsFromHere()), Expr.number(range.size())));
                }
                statement.append(" masquerade to :").append(range.text()).append(fullyRandom());
                expr.add(Expr.masquerade(Optional.of(range), randomFully));
                rules.add(NftRule.of(statement.toString(), Expr.list(expr.toArray(JsonNode[]::new))));
            }
        }
        rules.add(NftRule.of("masquerade" + fullyRandom(), Expr.list(Expr.masquerade(Optional.empty(), randomFully))));
        return rules;
    }

    private String fullyRandom() {
        return randomFully ? " fully-random" : "";
    }
}
