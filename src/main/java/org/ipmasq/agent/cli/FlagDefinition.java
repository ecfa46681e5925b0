package org.ipmasq.agent.cli;

import java.util.List;
import org.ipmasq.agent.core.FlagKind;

/**
 * One command-line flag, defined once: the parser, the usage text and the options builder all
 * read it from here, so a flag cannot be accepted without being documented or applied.
 *
 * @param name        the flag without dashes
 * @param kind        a switch or a flag that takes a value
 * @param synopsis    what follows the name in the usage text (" NAME", "[=false]", or "")
 * @param help        the usage lines describing it; empty hides the flag (klog's, --help itself)
 * @param setter      how its value lands in the options being built
 */
record FlagDefinition(String name, FlagKind kind, String synopsis, List<String> help, Setter setter) {

    /** Applies a flag's text to the options being built; a bad value is a usage error. */
    @FunctionalInterface
    interface Setter {
        void set(AgentOptionsBuilder options, String value) throws UsageException;
    }

    /** Receives a switch's value, already read as Go's strconv.ParseBool reads it. */
    @FunctionalInterface
    interface SwitchSetter {
        void set(AgentOptionsBuilder options, boolean value) throws UsageException;
    }

    FlagDefinition {
        help = List.copyOf(help);
    }

    static FlagDefinition value(String name, String valueName, List<String> help, Setter setter) {
        return new FlagDefinition(name, FlagKind.VALUE, " " + valueName, help, setter);
    }

    static FlagDefinition toggle(String name, String synopsis, List<String> help, SwitchSetter setter) {
        return new FlagDefinition(name, FlagKind.BOOLEAN, synopsis, help,
                (options, text) -> setter.set(options, GoBoolean.parse(name, text)));
    }

    boolean documented() {
        return !help.isEmpty();
    }
}
