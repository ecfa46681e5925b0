package org.ipmasq.agent.cli;

import java.util.Map;
import org.ipmasq.agent.core.FlagKind;

/**
 * Parses the command line the way Go's flag package does for the original agent: {@code -flag}
 * or {@code --flag}, {@code --flag=value} or {@code --flag value}, and a boolean flag alone
 * meaning true. Unlike Go, a boolean may also take its value as the next word
 * ({@code --enable-ipv6 false}), since operators write both forms. Which flags exist and what
 * they set is {@link AgentFlags}' business; this class knows only the syntax.
 */
public final class ArgsParser {

    private ArgsParser() {
    }

    /** Parses the agent's own flags only. */
    public static AgentOptions parse(String... args) throws UsageException {
        return parse(Map.of(), args);
    }

    /** Parses the agent's flags plus those the installed backends declare. */
    public static AgentOptions parse(Map<String, FlagKind> backendFlags, String... args) throws UsageException {
        AgentOptionsBuilder options = new AgentOptionsBuilder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
                throw new UsageException("unexpected argument \"" + arg + "\": this agent takes only flags (see --help)");
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            int eq = body.indexOf('=');
            String name = eq >= 0 ? body.substring(0, eq) : body;
            String value = eq >= 0 ? body.substring(eq + 1) : null;
            if (name.equals("h")) {
                name = "help";
            }
            FlagDefinition flag = definition(name, backendFlags);
            if (value == null) {
                if (flag.kind() == FlagKind.BOOLEAN) {
                    value = i + 1 < args.length && GoBoolean.isWord(args[i + 1]) ? args[++i] : "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException("flag --" + name + " needs a value");
                }
            }
            flag.setter().set(options, value);
        }
        return options.build();
    }

    /** The agent's own flags win over a backend's flag of the same name. */
    private static FlagDefinition definition(String name, Map<String, FlagKind> backendFlags) throws UsageException {
        FlagDefinition own = AgentFlags.BY_NAME.get(name);
        if (own != null) {
            return own;
        }
        FlagKind backendKind = backendFlags.get(name);
        if (backendKind == null) {
            throw new UsageException("unknown flag --" + name + " (see --help)");
        }
        return AgentFlags.backendFlag(name, backendKind);
    }

    public static String usage() {
        return AgentFlags.usage();
    }
}
