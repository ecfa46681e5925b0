package org.ipmasq.agent.backend.iptables;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * A fake that models iptables' nat tables instead of recording calls: restore input is applied
 * transactionally (all or nothing, like the kernel commit), save prints the table back in
 * iptables-save's layout. Tests assert on the resulting table. Public for the tests of the
 * layers above (kube, runtime) that drive the real iptables backend through it.
 */
public final class FakeIptables implements CommandRunner {

    private static final List<String> BUILTIN = List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");

    /** Per binary prefix (iptables-nft, ip6tables-legacy, ...): chain name to its rules. */
    private final Map<String, Map<String, List<String>>> tables = new LinkedHashMap<>();
    private final Set<String> installed;
    public final List<String> restores = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Every read's argv, in order: saves and -S listings. */
    final List<List<String>> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Chains in each flavour's mangle table (binary prefix to names), for mode detection. */
    final Map<String, Set<String>> mangle = new java.util.concurrent.ConcurrentHashMap<>();
    /** What /proc/net/ip_tables_names (and ip6_) would say: the legacy tables the kernel holds. */
    volatile String legacyTableNames = "";
    /** Chains iptables-nft cannot show (nft-only rules in them): -S fails on them as on a missing chain. */
    final Set<String> incompatible = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile int saves;
    /** How many times a binary was asked its --version. */
    volatile int versionQueries;
    String version = "iptables v1.8.9 (nf_tables)";
    public volatile boolean failRestores;
    volatile boolean failSaves;

    FakeIptables(Set<String> installedPrefixes) {
        this.installed = Set.copyOf(installedPrefixes);
    }

    public static FakeIptables nftOnly() {
        return new FakeIptables(Set.of("iptables-nft", "ip6tables-nft"));
    }

    public synchronized Map<String, List<String>> table(String prefix) {
        return tables.computeIfAbsent(prefix, p -> {
            Map<String, List<String>> chains = new LinkedHashMap<>();
            BUILTIN.forEach(c -> chains.put(c, new ArrayList<>()));
            return chains;
        });
    }

    /** The live rule list, for a test to set up state before the agent runs. */
    synchronized List<String> rules(String prefix, String chain) {
        return table(prefix).get(chain);
    }

    /** A copy of a chain's rules (empty when the chain does not exist), safe while the agent syncs. */
    public synchronized List<String> snapshot(String prefix, String chain) {
        List<String> rules = table(prefix).get(chain);
        return rules == null ? List.of() : List.copyOf(rules);
    }

    /** The value after {@code option} (e.g. {@code -d}) in one rule as iptables-save prints it, or null. */
    public static String optionValue(String rule, String option) {
        return RuleText.valueOf(RuleText.words(rule), option);
    }

    @Override
    public boolean exists(String program) {
        return installed.stream().anyMatch(p -> program.equals(p) || program.equals(p + "-save")
                || program.equals(p + "-restore"));
    }

    @Override
    public synchronized CommandResult run(List<String> argv, String stdin) throws IOException {
        String program = argv.get(0);
        if (program.equals("cat")) {
            return new CommandResult(argv, 0, legacyTableNames, "");
        }
        if (!exists(program)) {
            throw new IOException("cannot run " + program + ": not found");
        }
        if (argv.contains("-S")) {
            reads.add(argv);
            if (failSaves) {
                return new CommandResult(argv, 4, "", "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)");
            }
            return list(argv, program, argv.get(argv.indexOf("-t") + 1), argv.get(argv.indexOf("-S") + 1));
        }
        if (program.endsWith("-save")) {
            reads.add(argv);
            saves++;
            if (failSaves) {
                return new CommandResult(argv, 1, "", "iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)");
            }
            return new CommandResult(argv, 0, save(prefixOf(program, "-save")), "");
        }
        if (program.endsWith("-restore")) {
            restores.add(stdin);
            if (failRestores) {
                return new CommandResult(argv, 1, "", "iptables-restore: line 2 failed");
            }
            return restore(argv, prefixOf(program, "-restore"), stdin);
        }
        if (argv.contains("--version")) {
            versionQueries++;
            return new CommandResult(argv, 0, version + "\n", "");
        }
        return new CommandResult(argv, 2, "", "fake: unsupported " + argv);
    }

    /** {@code -t TABLE -S CHAIN} as iptables prints it; a missing chain fails as iptables-nft 1.8.9 says it. */
    private CommandResult list(List<String> argv, String program, String table, String chain) {
        String missing = program + " v1.8.9 (nf_tables): chain `" + chain + "' in table `" + table
                + "' is incompatible, use 'nft' tool.";
        if (table.equals("mangle")) {
            return mangle.getOrDefault(program, Set.of()).contains(chain)
                    ? new CommandResult(argv, 0, "-N " + chain + "\n", "")
                    : new CommandResult(argv, 1, "", missing);
        }
        List<String> rules = table(program).get(chain);
        if (rules == null || incompatible.contains(chain)) {
            return new CommandResult(argv, 1, "", missing);
        }
        StringBuilder out = new StringBuilder(BUILTIN.contains(chain) ? "-P " + chain + " ACCEPT\n" : "-N " + chain + "\n");
        rules.forEach(r -> out.append(r).append('\n'));
        return new CommandResult(argv, 0, out.toString(), "");
    }

    private static String prefixOf(String program, String suffix) {
        return program.substring(0, program.length() - suffix.length());
    }

    private String save(String prefix) {
        StringBuilder out = new StringBuilder("# Generated by fake\n*nat\n");
        Map<String, List<String>> chains = table(prefix);
        chains.keySet().forEach(c -> out.append(':').append(c).append(BUILTIN.contains(c) ? " ACCEPT" : " -")
                .append(" [0:0]\n"));
        chains.values().forEach(rules -> rules.forEach(r -> out.append(r).append('\n')));
        return out.append("COMMIT\n").toString();
    }

    private CommandResult restore(List<String> argv, String prefix, String input) {
        if (!argv.contains("--noflush")) {
            return new CommandResult(argv, 2, "", "fake: only --noflush is modelled");
        }
        // Work on a copy and swap it in at COMMIT: a failing line leaves the table untouched.
        Map<String, List<String>> work = new LinkedHashMap<>();
        table(prefix).forEach((c, r) -> work.put(c, new ArrayList<>(r)));
        int lineNo = 0;
        for (String line : input.split("\n")) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#") || line.equals("*nat")) {
                continue;
            }
            if (line.equals("COMMIT")) {
                tables.put(prefix, work);
                return new CommandResult(argv, 0, "", "");
            }
            List<String> words = RuleText.words(line);
            if (line.startsWith(":")) {
                String chain = line.substring(1, line.indexOf(' '));
                work.put(chain, new ArrayList<>());
            } else if (words.get(0).equals("-A") && work.containsKey(words.get(1))) {
                work.get(words.get(1)).add(line);
            } else if (words.get(0).equals("-D") && work.containsKey(words.get(1))
                    && work.get(words.get(1)).remove("-A" + line.substring(2))) {
                continue;
            } else if (words.get(0).equals("-X") && work.containsKey(words.get(1))
                    && work.get(words.get(1)).isEmpty() && !referenced(work, words.get(1))) {
                work.remove(words.get(1));
            } else {
                return new CommandResult(argv, 1, "", "iptables-restore: line " + lineNo + " failed");
            }
        }
        return new CommandResult(argv, 1, "", "iptables-restore: COMMIT expected");
    }

    private static boolean referenced(Map<String, List<String>> chains, String chain) {
        return chains.values().stream().flatMap(List::stream)
                .anyMatch(rule -> chain.equals(RuleText.valueOf(RuleText.words(rule), "-j")));
    }
}
