package org.ipmasq.agent.backend.nftables;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * Stands in for the nft binary in backend tests: reads answer with what the test put in
 * {@link #tables} (recorded kernel output, see {@link RecordedNft}), or with nft's own ENOENT
 * complaint for a table that is absent; {@code nft -f} input is recorded. It does not interpret
 * nft's language, so it does not pretend to model the kernel: the planner is tested against
 * recorded tables and the kernel tests run the real thing.
 */
final class StubNft implements CommandRunner {

    /** {@code nft -j list table} output by family keyword ("ip", "ip6"); absent means no table. */
    final Map<String, String> tables = new HashMap<>();
    final List<String> transactions = new ArrayList<>();
    final List<List<String>> calls = new ArrayList<>();
    String writeError;
    String readError;

    @Override
    public CommandResult run(List<String> argv, String stdin) throws IOException {
        calls.add(argv);
        if (argv.equals(List.of("nft", "--version"))) {
            return new CommandResult(argv, 0, "nftables v1.0.6 (Lester Gooch #5)\n", "");
        }
        if (argv.equals(NftablesBackend.APPLY)) {
            transactions.add(stdin);
            return writeError == null ? new CommandResult(argv, 0, "", "")
                    : new CommandResult(argv, 1, "", writeError + "\n" + stdin.lines().findFirst().orElse("") + "\n");
        }
        if (argv.size() == 6 && argv.subList(0, 4).equals(List.of("nft", "-j", "list", "table"))) {
            if (readError != null) {
                return new CommandResult(argv, 1, "", readError + "\n");
            }
            String table = tables.get(argv.get(4));
            return table != null ? new CommandResult(argv, 0, table, "")
                    : new CommandResult(argv, 1, "", "Error: No such file or directory\nlist table " + argv.get(4) + " "
                            + argv.get(5) + "\n");
        }
        return new CommandResult(argv, 2, "", "stub: unsupported " + argv);
    }

    @Override
    public boolean exists(String program) {
        return program.equals("nft");
    }
}
