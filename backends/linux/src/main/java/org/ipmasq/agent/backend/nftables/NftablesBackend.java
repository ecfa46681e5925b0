package org.ipmasq.agent.backend.nftables;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.FamilyPolicy;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.core.MasqPolicy;
import org.ipmasq.agent.core.ReportKinds;
import org.ipmasq.agent.core.SyncReport;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * Enforces the policy with a table of our own per family ({@code table ip ip-masq-agent}, and
 * {@code table ip6 ip-masq-agent} with IPv6), never touching any other table. Each sync reads
 * our tables with {@code nft -j list table}, compares them with the wanted tables, and writes
 * only the difference, all families in one {@code nft -f} transaction: the kernel applies it
 * whole or not at all.
 */
final class NftablesBackend implements MasqBackend {

    /** The one command that writes; the transaction comes on stdin. */
    static final List<String> APPLY = List.of("nft", "-f", "-");

    private final CommandRunner runner;
    private final TableRenderer renderer;
    private final Map<String, String> details;

    NftablesBackend(CommandRunner runner, TableRenderer renderer, Map<String, String> details) {
        this.runner = runner;
        this.renderer = renderer;
        this.details = Map.copyOf(details);
    }

    @Override
    public ReportKinds reportKinds() {
        return TablePlan.SYNC_REPORTS;
    }

    @Override
    public String name() {
        return "nftables";
    }

    @Override
    public Map<String, String> details() {
        return details;
    }

    @Override
    public SyncReport sync(MasqPolicy policy) throws BackendException {
        return apply(planSync(policy));
    }

    @Override
    public String plan(MasqPolicy policy) throws BackendException {
        return preview(planSync(policy));
    }

    @Override
    public SyncReport cleanup() throws BackendException {
        return apply(planCleanupAll());
    }

    @Override
    public String planCleanup() throws BackendException {
        return preview(planCleanupAll());
    }

    private List<FamilyPlan> planSync(MasqPolicy policy) throws BackendException {
        List<FamilyPlan> plans = new ArrayList<>();
        for (FamilyPolicy family : policy.families()) {
            plans.add(new FamilyPlan(family.family(), TablePlan.sync(read(family.family()), renderer.wanted(family))));
        }
        return plans;
    }

    /** Both families, always: a table left by an earlier --enable-ipv6 run must go too. */
    private List<FamilyPlan> planCleanupAll() throws BackendException {
        List<FamilyPlan> plans = new ArrayList<>();
        for (IpFamily family : IpFamily.values()) {
            plans.add(new FamilyPlan(family, TablePlan.cleanup(read(family), spec(family))));
        }
        return plans;
    }

    private SyncReport apply(List<FamilyPlan> plans) throws BackendException {
        String transaction = transaction(plans);
        if (transaction.isEmpty()) {
            return SyncReport.UNCHANGED;
        }
        CommandResult result = run(APPLY, transaction);
        if (!result.succeeded()) {
            throw new BackendException(result.summary(transaction));
        }
        List<Change> changes = new ArrayList<>();
        for (FamilyPlan plan : plans) {
            plan.plan().changes().forEach(c -> changes.add(new Change(c.kind(),
                    NftFamily.label(plan.family()) + ": " + c.description())));
        }
        return new SyncReport(changes);
    }

    private static String preview(List<FamilyPlan> plans) {
        String transaction = transaction(plans);
        return transaction.isEmpty() ? "# nft: nothing to change\n" : "# " + String.join(" ", APPLY) + "\n" + transaction;
    }

    /** All families' commands as one nft -f input; empty when nothing needs writing. */
    static String transaction(List<FamilyPlan> plans) {
        StringBuilder text = new StringBuilder();
        for (FamilyPlan plan : plans) {
            plan.plan().commands().forEach(command -> text.append(command).append('\n'));
        }
        return text.toString();
    }

    private HeldTable read(IpFamily family) throws BackendException {
        CommandResult result = run(List.of("nft", "-j", "list", "table", NftFamily.keyword(family), renderer.table()), "");
        if (!result.succeeded()) {
            // nft reports a missing table as ENOENT; every other failure is a real error.
            if (result.stderr().contains("No such file or directory")) {
                return HeldTable.ABSENT;
            }
            throw new BackendException(result.summary());
        }
        return HeldTable.parse(result.stdout());
    }

    private String spec(IpFamily family) {
        return NftFamily.keyword(family) + " " + renderer.table();
    }

    private CommandResult run(List<String> argv, String stdin) throws BackendException {
        try {
            return runner.run(argv, stdin);
        } catch (IOException e) {
            throw new BackendException(e.getMessage(), e);
        }
    }

    record FamilyPlan(IpFamily family, TablePlan plan) {
    }
}
