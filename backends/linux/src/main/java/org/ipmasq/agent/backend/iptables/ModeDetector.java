package org.ipmasq.agent.backend.iptables;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.IpFamily;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;

/**
 * Chooses legacy or nf_tables iptables the way Kubernetes' iptables wrappers do: the flavour
 * that already holds the host's rules wins, because rules written in the other one would be
 * invisible to the packet path that matters. The kubelet's hint chain settles it outright.
 */
final class ModeDetector {

    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final String[] KUBELET_HINTS = {":KUBE-IPTABLES-HINT", ":KUBE-KUBELET-CANARY"};

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
        String legacySave = saveAll(IptablesMode.LEGACY);
        String nftSave = saveAll(IptablesMode.NFT);
        for (String hint : KUBELET_HINTS) {
            if (legacySave.contains(hint) != nftSave.contains(hint)) {
                IptablesMode mode = legacySave.contains(hint) ? IptablesMode.LEGACY : IptablesMode.NFT;
                return new Choice(mode, "the kubelet's " + hint.substring(1) + " chain is in " + mode.label());
            }
        }
        long legacyRules = countRules(legacySave);
        long nftRules = countRules(nftSave);
        // A tie (typically a fresh node with no rules at all) goes to nft, the default of current distributions.
        IptablesMode mode = legacyRules > nftRules ? IptablesMode.LEGACY : IptablesMode.NFT;
        return new Choice(mode, "legacy holds " + legacyRules + " rules, nft holds " + nftRules);
    }

    private String saveAll(IptablesMode mode) {
        StringBuilder all = new StringBuilder();
        for (IpFamily family : IpFamily.values()) {
            try {
                CommandResult result = runner.run(java.util.List.of(mode.save(family)), "");
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

    /** Whether this iptables knows --random-fully (added in 1.6.2), as the original agent checks. */
    boolean supportsRandomFully(IptablesMode mode) {
        try {
            CommandResult result = runner.run(java.util.List.of(mode.iptables(IpFamily.IPV4), "--version"), "");
            Matcher m = VERSION.matcher(result.stdout() + result.stderr());
            if (!result.succeeded() || !m.find()) {
                return false;
            }
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            int patch = Integer.parseInt(m.group(3));
            return major > 1 || (major == 1 && (minor > 6 || (minor == 6 && patch >= 2)));
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }
}
