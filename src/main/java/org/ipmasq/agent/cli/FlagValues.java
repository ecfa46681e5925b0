package org.ipmasq.agent.cli;

import org.ipmasq.agent.backend.iptables.IptablesModeOption;
import org.ipmasq.agent.core.ToPorts;
import java.util.Set;

/** Reads the text of the flags whose values need more than a string, each error naming its flag. */
final class FlagValues {

    /** Chain names iptables reserves: built-in chains and standard targets. */
    private static final Set<String> RESERVED_CHAIN_NAMES = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT",
            "POSTROUTING", "ACCEPT", "DROP", "RETURN", "QUEUE", "MASQUERADE", "SNAT", "DNAT", "REDIRECT");
    /** iptables' limit (XT_EXTENSION_MAXNAMELEN - 1 is 28 usable characters for a chain). */
    static final int MAX_CHAIN_LENGTH = 28;

    private FlagValues() {
    }

    static String chainName(String chain) throws UsageException {
        if (chain.isEmpty()) {
            throw new UsageException("--masq-chain: the chain name is empty");
        }
        if (chain.length() > MAX_CHAIN_LENGTH) {
            throw new UsageException("--masq-chain: \"" + chain + "\" is " + chain.length()
                    + " characters, iptables allows at most " + MAX_CHAIN_LENGTH);
        }
        for (char c : chain.toCharArray()) {
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'') {
                throw new UsageException("--masq-chain: \"" + chain
                        + "\" contains whitespace, a quote or a non-ASCII character, which iptables does not allow");
            }
        }
        if (chain.startsWith("-") || chain.startsWith("!")) {
            throw new UsageException("--masq-chain: \"" + chain + "\" must not start with '-' or '!'");
        }
        if (RESERVED_CHAIN_NAMES.contains(chain)) {
            throw new UsageException("--masq-chain: \"" + chain + "\" is a built-in chain or target name");
        }
        return chain;
    }

    static ToPorts toPorts(String text) throws UsageException {
        try {
            return ToPorts.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--to-ports: " + e.getMessage());
        }
    }

    static IptablesModeOption iptablesMode(String text) throws UsageException {
        try {
            return IptablesModeOption.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--iptables-mode: " + e.getMessage());
        }
    }

    static int healthPort(String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new UsageException("--health-port: \"" + text + "\" is not a port in 1-65535");
    }

    /** Whether --log-format asks for JSON lines. */
    static boolean jsonLogs(String format) throws UsageException {
        return switch (format) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new UsageException("--log-format: \"" + format + "\" is not one of text, json");
        };
    }

    /** A flag naming something (a path, a backend) must not be given an empty name. */
    static String nonEmpty(String text, String message) throws UsageException {
        if (text.isEmpty()) {
            throw new UsageException(message);
        }
        return text;
    }
}
