package org.ipmasq.agent.backend.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;
import org.junit.jupiter.api.Test;

class NftablesBackendProviderTest {

    /** A host with exactly these programs; only existence matters here. */
    private static CommandRunner host(String... programs) {
        Set<String> installed = Set.of(programs);
        return new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv, String stdin) throws IOException {
                return new StubNft().run(argv, stdin);
            }

            @Override
            public boolean exists(String program) {
                return installed.contains(program);
            }
        };
    }

    private final NftablesBackendProvider provider = new NftablesBackendProvider();

    @Test
    void autoKeepsIptablesWhereverIptablesExistsAndTakesNftablesWhereOnlyNftDoes() throws Exception {
        Backends installed = Backends.installed();
        assertTrue(installed.names().containsAll(List.of("iptables", "nftables")), installed.names().toString());
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux"));
        assertEquals("iptables", installed.select("auto", host("nft", "iptables-nft-save", "iptables-nft-restore")).name());
        assertEquals("iptables", installed.select("auto", host("nft", "iptables-save", "iptables-restore")).name());
        assertEquals("nftables", installed.select("auto", host("nft")).name());
        assertEquals("nftables", installed.select("nftables", host("nft", "iptables-legacy-save")).name());
        assertFalse(provider.suitsThisHost(host("iptables-legacy-save")));
        assertTrue(provider.preference() < 100);
    }

    @Test
    void createdBackendReportsTheNftVersionAndItsTable() throws Exception {
        var backend = provider.create(new NftablesSettings(true, ToPorts.NONE, java.util.Optional.empty()), new StubNft());
        assertEquals("nftables", backend.name());
        assertEquals("v1.0.6", backend.details().get("nftVersion"));
        assertEquals("ip-masq-agent", backend.details().get("table"));
    }
}
