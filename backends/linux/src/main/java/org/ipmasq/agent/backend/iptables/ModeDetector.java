package org.ipmasq.agent.backend.iptables;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * Chooses legacy or nf_tables iptables the way Kubernetes' iptables wrappers
 * (kubernetes-sigs/iptables-wrappers) do: the flavour that holds the kubelet's
 * KUBE-IPTABLES-HINT or KUBE-KUBELET-CANARY chain in mangle wins, because rules written in the
 * other one would be invisible to the packet path that matters. Unlike the wrappers, it never
 * reads a whole table to find them: {@code iptables-nft -t mangle -S CHAIN} costs the same
 * beside 40,000 kube-proxy rules as on an empty node, and legacy's mangle is only listed when the
 * kernel says it exists (/proc/net/ip_tables_names), because listing it would create it.
 *
 * <p>Without legacy tables in the kernel, nf_tables at once. Without the kubelet's chains (not a
 * Kubernetes node): nf_tables unless legacy tables exist;
 * only when they do are both flavours' rules counted, the one read here that grows with the
 * tables, once at start.
 */
final class ModeDetector {

    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final List<String> KUBELET_CHAINS = List.of("KUBE-IPTABLES-HINT", "KUBE-KUBELET-CANARY");
    /** The kernel's list of instantiated legacy tables, per family, in the reader's network namespace. */
    static final Map<IpFamily, String> LEGACY_TABLE_NAMES = Map.of(IpFamily.IPV4, "/proc/net/ip_tables_names",
            IpFamily.IPV6, "/proc/net/ip6_tables_names");

    /** The chosen mode and why, for the start-up log line and health data. */
    record Choice(IptablesMode mode, String reason) {
    }

    private final CommandRunner runner;

    ModeDetector(CommandRunner runner) {
        this.runner = runner;
    }

    Choice choose(IptablesModeOption option) throws BackendException {
        switch (option) {
            case LEGACY:
                return forced(IptablesMode.LEGACY);
            case NFT:
                return forced(IptablesMode.NFT);
            default:
                break;
        }
        boolean legacy = runner.exists(IptablesMode.LEGACY.save(IpFamily.IPV4));
        boolean nft = runner.exists(IptablesMode.NFT.save(IpFamily.IPV4));
        if (legacy && nft) {
            return byRules();
        }
        if (legacy || nft) {
            IptablesMode only = legacy ? IptablesMode.LEGACY : IptablesMode.NFT;
            return new Choice(only, "only " + only.label() + " iptables is installed");
        }
        if (runner.exists(IptablesMode.SYSTEM.save(IpFamily.IPV4))) {
            return new Choice(IptablesMode.SYSTEM, "only one unsuffixed iptables is installed");
        }
        throw new BackendException("no iptables found: install iptables (iptables-save and iptables-restore)");
    }

    private Choice forced(IptablesMode mode) throws BackendException {
        if (!runner.exists(mode.save(IpFamily.IPV4)) || !runner.exists(mode.restore(IpFamily.IPV4))) {
            throw new BackendException("--iptables-mode=" + mode.label() + " but " + mode.save(IpFamily.IPV4)
                    + " or " + mode.restore(IpFamily.IPV4) + " is not installed");
        }
        return new Choice(mode, "forced by --iptables-mode");
    }

    private Choice byRules() {
        // nf_tables first, IPv4's hint first: a Kubernetes node in nf_tables mode answers there.
        // When that first read misses, a node without legacy tables (most nodes, every fresh
        // namespace) is settled by one more: nothing can be in legacy, kubelet chains included.
        // Every pass before the first sync waits on these reads: two instead of six there.
        boolean first = true;
        for (IpFamily family : IpFamily.values()) {
            for (String chain : KUBELET_CHAINS) {
                if (hasMangleChain(IptablesMode.NFT, family, chain)) {
                    return kubelet(IptablesMode.NFT, family, chain);
                }
                if (first && anyLegacyTable().isBlank()) {
                    return new Choice(IptablesMode.NFT, "no legacy tables, so nothing is in legacy");
                }
                first = false;
            }
        }
        Map<IpFamily, String> legacyTables = legacyTables();
        for (IpFamily family : IpFamily.values()) {
            if (legacyTables.get(family).lines().anyMatch("mangle"::equals)) {
                for (String chain : KUBELET_CHAINS) {
                    if (hasMangleChain(IptablesMode.LEGACY, family, chain)) {
                        return kubelet(IptablesMode.LEGACY, family, chain);
                    }
                }
            }
        }
        if (legacyTables.values().stream().allMatch(String::isBlank)) {
            return new Choice(IptablesMode.NFT, "no kubelet chains and no legacy tables");
        }
        String legacySave = saveAll(IptablesMode.LEGACY);
        String nftSave = saveAll(IptablesMode.NFT);
        long legacyRules = countRules(legacySave);
        long nftRules = countRules(nftSave);
        // A tie (typically a fresh node with no rules at all) goes to nft, the default of current distributions.
        IptablesMode mode = legacyRules > nftRules ? IptablesMode.LEGACY : IptablesMode.NFT;
        return new Choice(mode, "legacy holds " + legacyRules + " rules, nft holds " + nftRules);
    }

    private static Choice kubelet(IptablesMode mode, IpFamily family, String chain) {
        return new Choice(mode, "the kubelet's " + chain + " chain is in " + mode.iptables(family) + " mangle");
    }

    /** {@code iptables -t mangle -S CHAIN}: a read of one chain, succeeding only when it exists. */
    private boolean hasMangleChain(IptablesMode mode, IpFamily family, String chain) {
        try {
            return runner.run(List.of(mode.iptables(family), "-t", "mangle", "-S", chain), "").succeeded();
        } catch (IOException missing) {
            return false;
        }
    }

    /**
     * Legacy tables the kernel holds per family, one name a line; blank where none (or no module).
     * Read through the runner, so a test's runner reads its namespace's list, not the JVM's.
     */
    private Map<IpFamily, String> legacyTables() {
        Map<IpFamily, String> names = new EnumMap<>(IpFamily.class);
        for (IpFamily family : IpFamily.values()) {
            names.put(family, runner.readIfPresent(LEGACY_TABLE_NAMES.get(family)));
        }
        return names;
    }

    /** Both families' legacy table names; blank when the kernel holds none (or has no module). */
    private String anyLegacyTable() {
        return runner.readIfPresent(LEGACY_TABLE_NAMES.get(IpFamily.IPV4))
                + runner.readIfPresent(LEGACY_TABLE_NAMES.get(IpFamily.IPV6));
    }

    private String saveAll(IptablesMode mode) {
        StringBuilder all = new StringBuilder();
        for (IpFamily family : IpFamily.values()) {
            try {
                CommandResult result = runner.run(List.of(mode.save(family)), "");
                if (result.succeeded()) {
                    all.append(result.stdout());
                }
            } catch (IOException missing) {
                // A flavour without ip6tables just has fewer rules to count.
            }
        }
        return all.toString();
    }

    private static long countRules(String save) {
        return save.lines().filter(line -> line.startsWith("-A ")).count();
    }

    /** What the chosen binary can do. */
    record Capabilities(boolean randomFully, boolean nfTables) {
    }

    /**
     * Whether {@code mode}'s iptables knows --random-fully (added in 1.6.2, as the original agent
     * checks) and whether it drives nf_tables, where single chains are read cheaply. The -legacy
     * and -nft names answer both by themselves: they came with iptables 1.8.0, past 1.6.2, so the
     * start saves a child process. Only the unsuffixed binary is asked its --version, once, for
     * both answers ("iptables v1.8.9 (nf_tables)").
     */
    Capabilities capabilities(IptablesMode mode) {
        if (mode != IptablesMode.SYSTEM) {
            return new Capabilities(true, mode == IptablesMode.NFT);
        }
        try {
            CommandResult result = runner.run(List.of(mode.iptables(IpFamily.IPV4), "--version"), "");
            String text = result.stdout() + result.stderr();
            return new Capabilities(result.succeeded() && atLeast162(text), text.contains("nf_tables"));
        } catch (IOException e) {
            return new Capabilities(false, false);
        }
    }

    private static boolean atLeast162(String versionText) {
        Matcher m = VERSION.matcher(versionText);
        if (!m.find()) {
            return false;
        }
        try {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            int patch = Integer.parseInt(m.group(3));
            return major > 1 || (major == 1 && (minor > 6 || (minor == 6 && patch >= 2)));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
