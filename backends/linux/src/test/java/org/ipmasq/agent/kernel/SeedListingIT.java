package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the seed document tells an operator to check, read from a real kernel. */
class SeedListingIT {

    /** The seed's first listing, as printed there. */
    static final String SEED_DEFAULT = """
            RETURN     all  --  anywhere             169.254.0.0/16       /* ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE */ ADDRTYPE match dst-type !LOCAL
            RETURN     all  --  anywhere             10.0.0.0/8           /* ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE */ ADDRTYPE match dst-type !LOCAL
            RETURN     all  --  anywhere             172.16.0.0/12        /* ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE */ ADDRTYPE match dst-type !LOCAL
            RETURN     all  --  anywhere             192.168.0.0/16       /* ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE */ ADDRTYPE match dst-type !LOCAL
            MASQUERADE  all  --  anywhere             anywhere             /* ip-masq-agent: outbound traffic should be subject to MASQUERADE (this match must come after cluster-local CIDR matches) */ ADDRTYPE match dst-type !LOCAL
            """;

    /** The seed's second listing (its second RETURN line is cut short there; completed from the first). */
    static final String SEED_CUSTOM = """
            Chain IP-MASQ-AGENT (1 references)
            target     prot opt source               destination
            RETURN     all  --  anywhere             169.254.0.0/16       /* ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE */ ADDRTYPE match dst-type !LOCAL
            RETURN     all  --  anywhere             10.0.0.0/8           /* ip-masq-agent: cluster-local traffic should not be subject to MASQUERADE */ ADDRTYPE match dst-type !LOCAL
            MASQUERADE  all  --  anywhere             anywhere             /* ip-masq-agent: outbound traffic should be subject to MASQUERADE (this match must come after cluster-local CIDR matches) */ ADDRTYPE match dst-type !LOCAL
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    @Test
    void noConfigGivesTheSeedsFirstListing() {
        try (Netns ns = Netns.create("seed")) {
            Netns.Result run = AgentProcess.runOnce(ns, "--sync-once", "--config", dir.resolve("absent").toString());
            assertEquals(0, run.exit(), run::toString);
            String listing = ns.ok("iptables", "-t", "nat", "-L", "IP-MASQ-AGENT", "-n").out();
            assertEquals(Listing.rows(SEED_DEFAULT), Listing.rows(listing));
            assertTrue(listing.startsWith("Chain IP-MASQ-AGENT (1 references)"), listing);
        }
    }

    @Test
    void seedConfigGivesTheSeedsSecondListing() throws Exception {
        AgentProcess.configFile(dir, "nonMasqueradeCIDRs:\n  - 10.0.0.0/8\nresyncInterval: 60s\n");
        try (Netns ns = Netns.create("seed2")) {
            Netns.Result run = AgentProcess.runOnce(ns, "--sync-once", "--config", dir.resolve("config").toString());
            assertEquals(0, run.exit(), run::toString);
            String listing = ns.ok("iptables", "-t", "nat", "-L", "IP-MASQ-AGENT", "-n").out();
            assertEquals(Listing.rows(SEED_CUSTOM), Listing.rows(listing));
            assertTrue(listing.startsWith("Chain IP-MASQ-AGENT (1 references)"), listing);
        }
    }
}
