package org.ipmasq.agent.backend.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipmasq.agent.core.PortRange;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.junit.jupiter.api.Test;

class TableRendererTest {

    private static String creation(TableRenderer renderer, FamilyPolicy policy) {
        return String.join("\n", TablePlan.sync(HeldTable.ABSENT, renderer.wanted(policy)).commands()) + "\n";
    }

    @Test
    void defaultPolicyRendersThisExactTable() {
        assertEquals("""
                add table ip ip-masq-agent
                add set ip ip-masq-agent non-masquerade { type ipv4_addr; flags interval; auto-merge; }
                add element ip ip-masq-agent non-masquerade {
                \t10.0.0.0/8,
                \t172.16.0.0/12,
                \t192.168.0.0/16
                }
                add set ip ip-masq-agent force-masquerade { type ipv4_addr; flags interval; auto-merge; }
                add chain ip ip-masq-agent do-masquerade
                add rule ip ip-masq-agent do-masquerade masquerade fully-random
                add chain ip ip-masq-agent postrouting { type nat hook postrouting priority srcnat; policy accept; }
                add rule ip ip-masq-agent postrouting fib daddr type local return comment "ip-masq-agent: local destinations are never subject to MASQUERADE"
                add rule ip ip-masq-agent postrouting ip daddr 169.254.0.0/16 return comment "ip-masq-agent: link-local traffic should not be subject to MASQUERADE"
                add rule ip ip-masq-agent postrouting ip daddr @force-masquerade goto do-masquerade comment "ip-masq-agent: forceMasqueradeCIDRs destination is always subject to MASQUERADE"
                add rule ip ip-masq-agent postrouting ip daddr @non-masquerade return comment "ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE"
                add rule ip ip-masq-agent postrouting goto do-masquerade comment "ip-masq-agent: outbound traffic should be subject to MASQUERADE (this match must come after cluster-local CIDR matches)"
                """, creation(Policies.renderer(), Policies.defaultV4()));
    }

    @Test
    void ipv6UsesItsOwnTableTypeAndLinkLocalAndToPortsGoPerProtocolAndRange() throws Exception {
        TableRenderer renderer = new TableRenderer("ip-masq-agent", false, ToPorts.parse("1024-29999,32768-65535"));
        FamilyPolicy policy = new FamilyPolicy(IpFamily.IPV6, true, Policies.cidrs("fd00:10::/32"),
                Policies.cidrs("fd00::/8"));
        assertEquals("""
                add table ip6 ip-masq-agent
                add set ip6 ip-masq-agent non-masquerade { type ipv6_addr; flags interval; auto-merge; }
                add element ip6 ip-masq-agent non-masquerade {
                \tfd00::/8
                }
                add set ip6 ip-masq-agent force-masquerade { type ipv6_addr; flags interval; auto-merge; }
                add element ip6 ip-masq-agent force-masquerade {
                \tfd00:10::/32
                }
                add chain ip6 ip-masq-agent do-masquerade
                add rule ip6 ip-masq-agent do-masquerade meta l4proto tcp numgen random mod 61744 < 28976 masquerade to :1024-29999
                add rule ip6 ip-masq-agent do-masquerade meta l4proto tcp masquerade to :32768-65535
                add rule ip6 ip-masq-agent do-masquerade meta l4proto udp numgen random mod 61744 < 28976 masquerade to :1024-29999
                add rule ip6 ip-masq-agent do-masquerade meta l4proto udp masquerade to :32768-65535
                add rule ip6 ip-masq-agent do-masquerade meta l4proto sctp numgen random mod 61744 < 28976 masquerade to :1024-29999
                add rule ip6 ip-masq-agent do-masquerade meta l4proto sctp masquerade to :32768-65535
                add rule ip6 ip-masq-agent do-masquerade masquerade
                add chain ip6 ip-masq-agent postrouting { type nat hook postrouting priority srcnat; policy accept; }
                add rule ip6 ip-masq-agent postrouting fib daddr type local return comment "ip-masq-agent: local destinations are never subject to MASQUERADE"
                add rule ip6 ip-masq-agent postrouting ip6 daddr fe80::/10 return comment "ip-masq-agent: link-local traffic should not be subject to MASQUERADE"
                add rule ip6 ip-masq-agent postrouting ip6 daddr @force-masquerade goto do-masquerade comment "ip-masq-agent: forceMasqueradeCIDRs destination is always subject to MASQUERADE"
                add rule ip6 ip-masq-agent postrouting ip6 daddr @non-masquerade return comment "ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE"
                add rule ip6 ip-masq-agent postrouting goto do-masquerade comment "ip-masq-agent: outbound traffic should be subject to MASQUERADE (this match must come after cluster-local CIDR matches)"
                """, creation(renderer, policy));
    }

    @Test
    void masqLinkLocalDropsOnlyTheLinkLocalRule() {
        List<String> keep = rules(Policies.v4(true, List.of(), Policies.DEFAULTS));
        List<String> masq = rules(Policies.v4(false, List.of(), Policies.DEFAULTS));
        assertEquals(keep.size() - 1, masq.size());
        assertTrue(keep.get(1).startsWith("ip daddr 169.254.0.0/16 return"), keep.get(1));
        assertEquals(keep.subList(2, keep.size()), masq.subList(1, masq.size()));
    }

    private static List<String> rules(FamilyPolicy policy) {
        return Policies.renderer().wanted(policy).chains().get(1).rules().stream().map(NftRule::text).toList();
    }

    /**
     * Each rule draws its own random number, as iptables' statistic match does; for the chain as
     * a whole, range i must still get exactly size(i)/total of new connections.
     */
    @Test
    void toPortsShareNewConnectionsExactlyByPortCount() throws Exception {
        ToPorts ports = ToPorts.parse("1024-29999,32768-65535,5,40000-40009");
        List<NftRule> rules = new TableRenderer("t", true, ports).wanted(Policies.defaultV4()).chains().get(0).rules()
                .stream().filter(r -> r.statement().startsWith("meta l4proto udp")).toList();
        assertEquals(4, rules.size());
        Pattern draw = Pattern.compile("numgen random mod (\\d+) < (\\d+)");
        double total = ports.ranges().stream().mapToInt(PortRange::size).sum();
        double notYetTaken = 1.0;
        for (int i = 0; i < rules.size(); i++) {
            Matcher m = draw.matcher(rules.get(i).statement());
            double p = m.find() ? Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(1)) : 1.0;
            assertEquals(ports.ranges().get(i).size() / total, notYetTaken * p, 1e-12, rules.get(i).statement());
            assertTrue(rules.get(i).statement().endsWith("masquerade to :" + ports.ranges().get(i).text() + " fully-random"));
            notYetTaken *= 1 - p;
        }
        assertEquals(0.0, notYetTaken, 1e-12);
    }
}
