package org.ipmasq.agent.backend.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.ReportKinds;

/**
 * What must be written to bring one family's table from what the kernel holds to what we want,
 * as {@code nft -f} commands plus a description in words. Empty when they already match.
 *
 * <p>Content drift is repaired in place: a set whose addresses differ is flushed and refilled, a
 * chain whose rules differ is flushed and refilled, each inside the one transaction so no packet
 * sees the set or chain half done. Anything structural (a set or chain missing or of another
 * kind, an object we never create) is repaired by deleting and re-adding the whole table in the
 * same transaction, which is simpler than reasoning about what references what.
 */
record TablePlan(List<String> commands, List<Change> changes) {

    static final String TABLE_CREATED = "table_created";
    static final String TABLE_RECREATED = "table_recreated";
    static final String SET_UPDATED = "set_updated";
    static final String CHAIN_REWRITTEN = "chain_rewritten";
    static final String TABLE_DELETED = "table_deleted";
    /** What a sync's plan can report; deleting the table is cleanup's, never a drift repair. */
    static final ReportKinds SYNC_REPORTS = new ReportKinds(
            Set.of(TABLE_CREATED, TABLE_RECREATED, SET_UPDATED, CHAIN_REWRITTEN), Set.of());

    /** At most this many added and removed elements are named in a log line; the rest are counted. */
    static final int NAMED_ELEMENTS = 8;

    TablePlan {
        commands = List.copyOf(commands);
        changes = List.copyOf(changes);
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    static TablePlan sync(HeldTable held, WantedTable wanted) {
        if (!held.exists()) {
            return new TablePlan(create(wanted), List.of(new Change(TABLE_CREATED,
                    "table " + wanted.spec() + " created (" + sizes(wanted) + ")")));
        }
        List<String> problems = structuralProblems(held, wanted);
        if (!problems.isEmpty()) {
            List<String> commands = new ArrayList<>();
            // "add" first makes the delete safe even if the table vanished since it was read.
            commands.add("add table " + wanted.spec());
            commands.add("delete table " + wanted.spec());
            commands.addAll(create(wanted));
            return new TablePlan(commands, List.of(new Change(TABLE_RECREATED,
                    "table " + wanted.spec() + " recreated: " + String.join(", ", problems))));
        }
        List<String> commands = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, AddressRanges> set : wanted.sets().entrySet()) {
            Optional<AddressRanges> contents = held.sets().get(set.getKey()).contents();
            if (contents.isEmpty() || !contents.get().equals(set.getValue())) {
                commands.add("flush set " + wanted.spec() + " " + set.getKey());
                addElements(commands, wanted, set.getKey(), set.getValue());
                changes.add(new Change(SET_UPDATED, "set " + set.getKey() + " updated: "
                        + contents.map(c -> difference(c, set.getValue())).orElse("unreadable elements replaced")));
            }
        }
        for (WantedChain chain : wanted.chains()) {
            List<HeldRule> rules = held.chains().get(chain.name()).rules();
            if (!chain.sameRules(rules)) {
                commands.add("flush chain " + wanted.spec() + " " + chain.name());
                chain.rules().forEach(rule -> commands.add(addRule(wanted, chain, rule)));
                changes.add(new Change(CHAIN_REWRITTEN, "chain " + chain.name() + " rewritten: held "
                        + rules(rules.size()) + ", " + chain.rules().size() + " wanted"
                        + (rules.size() == chain.rules().size() ? " (some differed)" : "")));
            }
        }
        return new TablePlan(commands, changes);
    }

    static TablePlan cleanup(HeldTable held, String spec) {
        if (!held.exists()) {
            return new TablePlan(List.of(), List.of());
        }
        return new TablePlan(List.of("delete table " + spec), List.of(new Change(TABLE_DELETED, "table " + spec + " deleted")));
    }

    /** The whole table, declared object by object: sets before the rules that name them, chains before their callers. */
    private static List<String> create(WantedTable wanted) {
        List<String> commands = new ArrayList<>();
        commands.add("add table " + wanted.spec());
        String type = NftFamily.addressType(wanted.family());
        for (Map.Entry<String, AddressRanges> set : wanted.sets().entrySet()) {
            commands.add("add set " + wanted.spec() + " " + set.getKey() + " { type " + type
                    + "; flags interval; auto-merge; }");
            addElements(commands, wanted, set.getKey(), set.getValue());
        }
        for (WantedChain chain : wanted.chains()) {
            commands.add("add chain " + wanted.spec() + " " + chain.name()
                    + chain.base().map(b -> " " + b.declaration()).orElse(""));
            chain.rules().forEach(rule -> commands.add(addRule(wanted, chain, rule)));
        }
        return commands;
    }

    private static void addElements(List<String> commands, WantedTable wanted, String set, AddressRanges ranges) {
        if (!ranges.isEmpty()) {
            // One element per line keeps a 10,000-entry dry run readable; nft takes newlines inside braces.
            commands.add("add element " + wanted.spec() + " " + set + " {\n\t" + String.join(",\n\t", ranges.elements())
                    + "\n}");
        }
    }

    private static String addRule(WantedTable wanted, WantedChain chain, NftRule rule) {
        return "add rule " + wanted.spec() + " " + chain.name() + " " + rule.text();
    }

    private static List<String> structuralProblems(HeldTable held, WantedTable wanted) {
        List<String> problems = new ArrayList<>();
        problems.addAll(held.problems());
        String type = NftFamily.addressType(wanted.family());
        for (String name : wanted.sets().keySet()) {
            HeldSet set = held.sets().get(name);
            if (set == null) {
                problems.add("set " + name + " missing");
            } else if (!set.type().equals(type) || !set.flags().equals(List.of("interval"))) {
                problems.add("set " + name + " is " + set.type() + " " + set.flags());
            }
        }
        held.sets().keySet().stream().filter(n -> !wanted.sets().containsKey(n))
                .forEach(n -> problems.add("unexpected set " + n));
        List<String> wantedChains = new ArrayList<>();
        for (WantedChain chain : wanted.chains()) {
            wantedChains.add(chain.name());
            HeldChain heldChain = held.chains().get(chain.name());
            if (heldChain == null) {
                problems.add("chain " + chain.name() + " missing");
            } else if (!heldChain.base().equals(chain.base())) {
                problems.add("chain " + chain.name() + " is hooked as " + heldChain.base().map(BaseChain::describe)
                        .orElse("a regular chain"));
            }
        }
        held.chains().keySet().stream().filter(n -> !wantedChains.contains(n))
                .forEach(n -> problems.add("unexpected chain " + n));
        return problems;
    }

    private static String rules(int n) {
        return n + (n == 1 ? " rule" : " rules");
    }

    private static String sizes(WantedTable wanted) {
        List<String> parts = new ArrayList<>();
        wanted.sets().forEach((name, ranges) -> parts.add(name + ": " + ranges.size()
                + (ranges.size() == 1 ? " range" : " ranges")));
        return String.join(", ", parts);
    }

    /** "+10.1.0.0/16, -172.16.0.0/12", naming at most {@link #NAMED_ELEMENTS} and counting the rest. */
    static String difference(AddressRanges held, AddressRanges wanted) {
        List<String> parts = new ArrayList<>();
        wanted.missingFrom(held).forEach(e -> parts.add("+" + e));
        held.missingFrom(wanted).forEach(e -> parts.add("-" + e));
        if (parts.size() <= NAMED_ELEMENTS) {
            return String.join(", ", parts);
        }
        return String.join(", ", parts.subList(0, NAMED_ELEMENTS)) + " and " + (parts.size() - NAMED_ELEMENTS) + " more";
    }
}
