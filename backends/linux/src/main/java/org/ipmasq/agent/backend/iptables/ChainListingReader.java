package org.ipmasq.agent.backend.iptables;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * For iptables in nf_tables mode: {@code iptables -t nat -S POSTROUTING} and {@code -S <chain>},
 * two small reads whose cost does not grow with the rest of the table (about 10 ms of CPU each
 * beside kube-proxy's 40,000 nat rules, where {@code iptables-nft-save -t nat} takes 600 ms:
 * docs/benchmarks.md). {@code -S} prints rules in iptables-save's own format.
 */
final class ChainListingReader implements NatReader {

    /**
     * What iptables prints for a chain that does not exist: legacy says "No chain/target/match",
     * iptables-nft 1.8.9 calls a missing chain "incompatible". Treating a really incompatible chain
     * (one holding nft-only rules) as missing is safe: the write then redeclares, so flushes, it.
     */
    private static final List<String> NO_SUCH_CHAIN = List.of("No chain/target/match by that name",
            "is incompatible, use 'nft' tool", "does not exist");

    private final CommandRunner runner;
    private final IptablesMode mode;
    private final String chain;

    ChainListingReader(CommandRunner runner, IptablesMode mode, String chain) {
        this.runner = runner;
        this.mode = mode;
        this.chain = chain;
    }

    @Override
    public NatTable read(IpFamily family) throws BackendException {
        Map<String, String> listings = new LinkedHashMap<>();
        for (String name : List.of("POSTROUTING", chain)) {
            CommandResult result = run(argv(family, name));
            if (result.succeeded()) {
                listings.put(name, result.stdout());
            } else if (name.equals("POSTROUTING") || NO_SUCH_CHAIN.stream().noneMatch(result.stderr()::contains)) {
                // POSTROUTING always exists: not listing it is an error, never "absent", or each
                // pass would add another jump to a chain it cannot see.
                throw new BackendException(result.summary());
            }
        }
        return NatTable.fromListings(listings);
    }

    @Override
    public String describe(IpFamily family) {
        return String.join(" ", argv(family, "POSTROUTING")) + "; " + String.join(" ", argv(family, chain));
    }

    private List<String> argv(IpFamily family, String name) {
        return List.of(mode.iptables(family), "-t", "nat", "-S", name);
    }

    private CommandResult run(List<String> argv) throws BackendException {
        try {
            return runner.run(argv, "");
        } catch (IOException e) {
            throw new BackendException(e.getMessage(), e);
        }
    }
}
