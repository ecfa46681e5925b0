package org.ipmasq.agent.backend.iptables;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ipmasq.agent.core.Change;
import org.ipmasq.agent.core.ReportKinds;

/**
 * The difference between what one family's nat table holds and what we want, as one
 * {@code iptables-restore --noflush} transaction plus a description of it in words. An empty
 * plan means the table already matches and nothing must be written.
 */
record RestorePlan(List<String> lines, List<Change> changes) {

    static final String CHAIN_CREATED = "chain_created";
    static final String CHAIN_REWRITTEN = "chain_rewritten";
    static final String JUMP_REMOVED = "jump_removed";
    static final String JUMP_ADDED = "jump_added";
    static final String CHAIN_DELETED = "chain_deleted";
    /** What {@link #sync} can report; {@link #cleanup} is never a drift repair. */
    static final ReportKinds SYNC_REPORTS = new ReportKinds(
            Set.of(CHAIN_CREATED, CHAIN_REWRITTEN, JUMP_REMOVED, JUMP_ADDED), Set.of());

    RestorePlan {
        lines = List.copyOf(lines);
        changes = List.copyOf(changes);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The restore input; declaring our chain in it flushes the chain, all inside one commit. */
    String payload() {
        return lines.isEmpty() ? "" : "*nat\n" + String.join("\n", lines) + "\nCOMMIT\n";
    }

    static RestorePlan sync(NatTable table, String chain, List<String> wantedRules, String wantedJump) {
        List<String> lines = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        if (!table.hasChain(chain)) {
            lines.add(":" + chain + " - [0:0]");
            lines.addAll(wantedRules);
            changes.add(new Change(CHAIN_CREATED, "chain " + chain + " created with " + wantedRules.size() + " rules"));
        } else if (!table.rules(chain).equals(wantedRules)) {
            lines.add(":" + chain + " - [0:0]");
            lines.addAll(wantedRules);
            changes.add(new Change(CHAIN_REWRITTEN,
                    "chain " + chain + " rewritten: " + describeDifference(table.rules(chain), wantedRules)));
        }
        boolean keptOne = false;
        int removed = 0;
        for (String jump : table.jumpsTo("POSTROUTING", chain)) {
            if (!keptOne && jump.equals(wantedJump)) {
                keptOne = true;
            } else {
                // The saved text of a rule is also its spec for -D, quotes and all.
                lines.add("-D" + jump.substring(2));
                removed++;
            }
        }
        if (removed > 0) {
            changes.add(new Change(JUMP_REMOVED,
                    "removed " + removed + " stale or duplicate POSTROUTING jump" + (removed == 1 ? "" : "s")));
        }
        if (!keptOne) {
            lines.add(wantedJump);
            changes.add(new Change(JUMP_ADDED,
                    removed > 0 ? "POSTROUTING jump replaced with ours" : "POSTROUTING jump added"));
        }
        return new RestorePlan(lines, changes);
    }

    static RestorePlan cleanup(NatTable table, String chain) {
        List<String> lines = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        List<String> jumps = table.allJumpsTo(chain);
        for (String jump : jumps) {
            lines.add("-D" + jump.substring(2));
        }
        if (!jumps.isEmpty()) {
            changes.add(new Change(JUMP_REMOVED,
                    "removed " + jumps.size() + " jump" + (jumps.size() == 1 ? "" : "s") + " to " + chain));
        }
        if (table.hasChain(chain)) {
            lines.add(":" + chain + " - [0:0]");
            lines.add("-X " + chain);
            changes.add(new Change(CHAIN_DELETED, "deleted chain " + chain));
        }
        return new RestorePlan(lines, changes);
    }

    /** Rules added and removed, by target and destination: "+RETURN 10.1.0.0/16, -RETURN 172.16.0.0/12". */
    static String describeDifference(List<String> held, List<String> wanted) {
        Set<String> heldSet = new LinkedHashSet<>(held);
        Set<String> wantedSet = new LinkedHashSet<>(wanted);
        List<String> parts = new ArrayList<>();
        for (String rule : wanted) {
            if (!heldSet.contains(rule)) {
                parts.add("+" + summarize(rule));
            }
        }
        for (String rule : held) {
            if (!wantedSet.contains(rule)) {
                parts.add("-" + summarize(rule));
            }
        }
        if (parts.isEmpty()) {
            return "rules reordered or duplicated";
        }
        return String.join(", ", parts);
    }

    private static String summarize(String rule) {
        List<String> words = RuleText.words(rule);
        String target = RuleText.valueOf(words, "-j");
        String destination = RuleText.valueOf(words, "-d");
        String protocol = RuleText.valueOf(words, "-p");
        String ports = RuleText.valueOf(words, "--to-ports");
        return (target == null ? "rule" : target) + " " + (destination == null ? "all" : destination)
                + (protocol == null ? "" : " " + protocol) + (ports == null ? "" : " to-ports " + ports);
    }
}
