package org.ipmasq.agent.backend.iptables;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Enforces the policy with one nat chain per family, reached from POSTROUTING. Each sync reads
 * POSTROUTING and our chain (never the rest of the table where the flavour allows: see
 * {@link NatReader}) and writes only the difference, as one iptables-restore --noflush
 * transaction, so there is never a moment without the final MASQUERADE.
 */
final class IptablesBackend implements MasqBackend {

    /** Seconds iptables-restore waits for the xtables lock a concurrent kube-proxy may hold. */
    static final int LOCK_WAIT_SECONDS = 5;

    private final CommandRunner runner;
    private final IptablesMode mode;
    private final RuleRenderer renderer;
    private final boolean ipv6Enabled;
    private final Map<String, String> details;
    private final NatReader reader;
    /** Cleanup must find jumps to our chain from any chain, so it reads the whole table, once. */
    private final NatReader wholeTable;

    IptablesBackend(CommandRunner runner, IptablesMode mode, String modeReason, RuleRenderer renderer,
            boolean randomFully, boolean ipv6Enabled) {
        this(runner, mode, modeReason, renderer, randomFully, ipv6Enabled, mode != IptablesMode.LEGACY);
    }

    /** @param nfTables whether this iptables is the nf_tables flavour, which reads single chains cheaply */
    IptablesBackend(CommandRunner runner, IptablesMode mode, String modeReason, RuleRenderer renderer,
            boolean randomFully, boolean ipv6Enabled, boolean nfTables) {
        this.runner = runner;
        this.reader = nfTables ? new ChainListingReader(runner, mode, renderer.chain())
                : new SaveReader(runner, mode, List.of("POSTROUTING", renderer.chain()));
        this.wholeTable = new SaveReader(runner, mode, null);
        this.mode = mode;
        this.renderer = renderer;
        this.ipv6Enabled = ipv6Enabled;
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("iptablesMode", mode.label());
        facts.put("iptablesModeReason", modeReason);
        facts.put("chain", renderer.chain());
        facts.put("randomFully", Boolean.toString(randomFully));
        facts.put("read", reader.describe(IpFamily.IPV4));
        this.details = Map.copyOf(facts);
    }

    @Override
    public ReportKinds reportKinds() {
        return RestorePlan.SYNC_REPORTS;
    }

    @Override
    public String name() {
        return "iptables";
    }

    @Override
    public Map<String, String> details() {
        return details;
    }

    @Override
    public SyncReport sync(MasqPolicy policy) throws BackendException {
        List<Change> changes = new ArrayList<>();
        for (FamilyPolicy family : policy.families()) {
            RestorePlan plan = planFor(read(family.family()), family);
            if (!plan.isEmpty()) {
                restore(family.family(), plan.payload());
                plan.changes().forEach(c -> changes.add(labelled(family.family(), c)));
            }
        }
        return new SyncReport(changes);
    }

    @Override
    public String plan(MasqPolicy policy) throws BackendException {
        StringBuilder text = new StringBuilder();
        for (FamilyPolicy family : policy.families()) {
            NatTable held;
            try {
                held = read(family.family());
            } catch (BackendException unreadable) {
                // A preview is useful without root too (say, on a laptop): show the full write an
                // empty table would get, and say why it is not a difference.
                text.append("# cannot read the current table (").append(unreadable.getMessage())
                        .append("); showing what an empty table would get\n");
                held = NatTable.parse("");
            }
            text.append(section(family.family(), planFor(held, family)));
        }
        return text.toString();
    }

    @Override
    public SyncReport cleanup() throws BackendException {
        List<Change> changes = new ArrayList<>();
        for (IpFamily family : cleanupFamilies()) {
            RestorePlan plan = RestorePlan.cleanup(wholeTable.read(family), renderer.chain());
            if (!plan.isEmpty()) {
                restore(family, plan.payload());
                plan.changes().forEach(c -> changes.add(labelled(family, c)));
            }
        }
        return new SyncReport(changes);
    }

    @Override
    public String planCleanup() throws BackendException {
        StringBuilder text = new StringBuilder();
        for (IpFamily family : cleanupFamilies()) {
            text.append(section(family, RestorePlan.cleanup(wholeTable.read(family), renderer.chain())));
        }
        return text.toString();
    }

    /** Cleanup covers IPv6 whenever ip6tables exists: a chain left by an earlier --enable-ipv6 run must go too. */
    private List<IpFamily> cleanupFamilies() {
        return ipv6Enabled || runner.exists(mode.save(IpFamily.IPV6))
                ? List.of(IpFamily.IPV4, IpFamily.IPV6) : List.of(IpFamily.IPV4);
    }

    private String section(IpFamily family, RestorePlan plan) {
        if (plan.isEmpty()) {
            return "# " + mode.restore(family) + ": nothing to change\n";
        }
        return "# " + String.join(" ", restoreCommand(family)) + "\n" + plan.payload();
    }

    private RestorePlan planFor(NatTable held, FamilyPolicy family) {
        return RestorePlan.sync(held, renderer.chain(), renderer.chainRules(family), renderer.jumpRule());
    }

    private NatTable read(IpFamily family) throws BackendException {
        return reader.read(family);
    }

    private void restore(IpFamily family, String payload) throws BackendException {
        CommandResult result = run(restoreCommand(family), payload);
        if (!result.succeeded()) {
            throw new BackendException(result.summary(payload));
        }
    }

    private List<String> restoreCommand(IpFamily family) {
        return List.of(mode.restore(family), "--noflush", "--wait=" + LOCK_WAIT_SECONDS);
    }

    private CommandResult run(List<String> argv, String stdin) throws BackendException {
        try {
            return runner.run(argv, stdin);
        } catch (IOException e) {
            throw new BackendException(e.getMessage(), e);
        }
    }

    private static Change labelled(IpFamily family, Change change) {
        return new Change(change.kind(), label(family) + ": " + change.description());
    }

    private static String label(IpFamily family) {
        return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }
}
