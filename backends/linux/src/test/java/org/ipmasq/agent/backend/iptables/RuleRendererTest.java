package org.ipmasq.agent.backend.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.config.Cidr;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.junit.jupiter.api.Test;

class RuleRendererTest {

    private static final String RETURN = "-m comment --comment \"ip-masq-agent: cluster-local traffic should not be "
            + "subject to MASQUERADE\" -m addrtype ! --dst-type LOCAL -j RETURN";
    private static final String MASQ = "-m comment --comment \"ip-masq-agent: outbound traffic should be subject to "
            + "MASQUERADE (this match must come after cluster-local CIDR matches)\" -m addrtype ! --dst-type LOCAL "
            + "-j MASQUERADE";

    static List<Cidr> cidrs(String... texts) throws ConfigException {
        List<Cidr> list = new java.util.ArrayList<>();
        for (String t : texts) {
            list.add(Cidr.parse(t));
        }
        return list;
    }

    @Test
    void defaultChainIsTheSeedListingInSaveForm() throws Exception {
        RuleRenderer renderer = new RuleRenderer("IP-MASQ-AGENT", true, ToPorts.NONE);
        List<String> rules = renderer.chainRules(new FamilyPolicy(IpFamily.IPV4, true, List.of(),
                cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")));
        assertEquals(List.of(
                "-A IP-MASQ-AGENT -d 169.254.0.0/16 " + RETURN,
                "-A IP-MASQ-AGENT -d 10.0.0.0/8 " + RETURN,
                "-A IP-MASQ-AGENT -d 172.16.0.0/12 " + RETURN,
                "-A IP-MASQ-AGENT -d 192.168.0.0/16 " + RETURN,
                "-A IP-MASQ-AGENT " + MASQ + " --random-fully"), rules);
    }

    @Test
    void jumpRuleCarriesTheOriginalsCommentWithTheChainName() {
        assertEquals("-A POSTROUTING -m comment --comment \"ip-masq-agent: ensure nat POSTROUTING directs all "
                        + "non-LOCAL destination traffic to our custom MY-CHAIN chain\" -m addrtype ! --dst-type LOCAL "
                        + "-j MY-CHAIN",
                new RuleRenderer("MY-CHAIN", true, ToPorts.NONE).jumpRule());
    }

    @Test
    void masqLinkLocalDropsTheLinkLocalReturnAndRandomFullyCanBeOff() throws Exception {
        List<String> rules = new RuleRenderer("C", false, ToPorts.NONE)
                .chainRules(new FamilyPolicy(IpFamily.IPV4, false, List.of(), cidrs("10.0.0.0/8")));
        assertEquals(List.of("-A C -d 10.0.0.0/8 " + RETURN, "-A C " + MASQ), rules);
    }

    @Test
    void forcedRangesMasqueradeBeforeTheReturns() throws Exception {
        List<String> rules = new RuleRenderer("C", true, ToPorts.NONE).chainRules(new FamilyPolicy(IpFamily.IPV4,
                true, cidrs("10.100.10.0/24"), cidrs("10.0.0.0/8")));
        assertEquals(List.of(
                "-A C -d 169.254.0.0/16 " + RETURN,
                "-A C -d 10.100.10.0/24 -m comment --comment \"ip-masq-agent: forceMasqueradeCIDRs destination is always "
                        + "subject to MASQUERADE\" -m addrtype ! --dst-type LOCAL -j MASQUERADE --random-fully",
                "-A C -d 10.0.0.0/8 " + RETURN,
                "-A C " + MASQ + " --random-fully"), rules);
    }

    @Test
    void toPortsSplitsByPortCountPerProtocolThenCatchAll() throws Exception {
        ToPorts ports = ToPorts.parse("1024-29999,32768-65535");
        List<String> rules = new RuleRenderer("C", true, ports)
                .chainRules(new FamilyPolicy(IpFamily.IPV4, false, List.of(), List.of()));
        String comment = MASQ.substring(0, MASQ.length() - " -j MASQUERADE".length());
        // 28976 of 61744 ports lie in the first range.
        String p = RuleRenderer.probability(28976.0 / 61744.0);
        assertEquals(List.of(
                "-A C -p tcp " + comment + " -m statistic --mode random --probability " + p
                        + " -j MASQUERADE --to-ports 1024-29999 --random-fully",
                "-A C -p tcp " + comment + " -j MASQUERADE --to-ports 32768-65535 --random-fully",
                "-A C -p udp " + comment + " -m statistic --mode random --probability " + p
                        + " -j MASQUERADE --to-ports 1024-29999 --random-fully",
                "-A C -p udp " + comment + " -j MASQUERADE --to-ports 32768-65535 --random-fully",
                "-A C -p sctp " + comment + " -m statistic --mode random --probability " + p
                        + " -j MASQUERADE --to-ports 1024-29999 --random-fully",
                "-A C -p sctp " + comment + " -j MASQUERADE --to-ports 32768-65535 --random-fully",
                "-A C " + MASQ + " --random-fully"), rules);
    }

    @Test
    void probabilityIsPrintedAsTheKernelRoundsIt() {
        // iptables-save printed these for --probability 0.4 and 0.5 on this machine.
        assertEquals("0.39999999991", RuleRenderer.probability(0.4));
        assertEquals("0.50000000000", RuleRenderer.probability(0.5));
    }

    @Test
    void ipv6ChainKeepsFe80AndItsOwnRanges() throws Exception {
        List<String> rules = new RuleRenderer("C", true, ToPorts.NONE)
                .chainRules(new FamilyPolicy(IpFamily.IPV6, true, List.of(), cidrs("fd00::/8")));
        assertEquals(List.of("-A C -d fe80::/10 " + RETURN, "-A C -d fd00::/8 " + RETURN,
                "-A C " + MASQ + " --random-fully"), rules);
    }
}
