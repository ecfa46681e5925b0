package org.ipmasq.agent.backend.iptables;

import java.io.IOException;
import java.util.List;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * {@code iptables-save -t nat}, the whole table in one process. The cheapest read for legacy
 * iptables: its kernel interface hands over the whole table for any read, so {@code -S CHAIN}
 * costs nearly as much as a save (250 vs 300 ms of CPU at 40,000 rules) and two of them cost
 * more. Also the read of --cleanup, which must find jumps to the chain from any chain.
 */
final class SaveReader implements NatReader {

    private final CommandRunner runner;
    private final IptablesMode mode;
    /** Only these chains are kept (null: all), so parsing 40,000 foreign rules costs a prefix test each. */
    private final List<String> chains;

    SaveReader(CommandRunner runner, IptablesMode mode, List<String> chains) {
        this.runner = runner;
        this.mode = mode;
        this.chains = chains == null ? null : List.copyOf(chains);
    }

    @Override
    public NatTable read(IpFamily family) throws BackendException {
        CommandResult result;
        try {
            result = runner.run(argv(family), "");
        } catch (IOException e) {
            throw new BackendException(e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw new BackendException(result.summary());
        }
        return chains == null ? NatTable.parse(result.stdout()) : NatTable.parse(result.stdout(), chains);
    }

    @Override
    public String describe(IpFamily family) {
        return String.join(" ", argv(family));
    }

    private List<String> argv(IpFamily family) {
        return List.of(mode.save(family), "-t", "nat");
    }
}
