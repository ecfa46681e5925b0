package org.ipmasq.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ipmasq.agent.core.FlagKind;
import org.junit.jupiter.api.Test;

/** The flag table is the single source: usage, parsing and defaults must all agree with it. */
class AgentFlagsTest {

    @Test
    void usageListsEveryDocumentedFlagOnceAndNoHiddenOne() {
        String usage = AgentFlags.usage();
        AgentFlags.BY_NAME.values().forEach(flag -> {
            String synopsis = "  --" + flag.name() + flag.synopsis() + " ";
            int count = usage.split(java.util.regex.Pattern.quote(synopsis), -1).length - 1;
            assertEquals(flag.documented() ? 1 : 0, count, flag.name());
        });
    }

    @Test
    void everyFlagOfTheTableIsAcceptedByTheParser() {
        AgentFlags.BY_NAME.values().stream().filter(flag -> flag.kind() == FlagKind.BOOLEAN)
                .forEach(flag -> assertParses("--" + flag.name() + "=false"));
    }

    @Test
    void anEmptyBuilderHoldsTheOriginalAgentsDefaults() throws UsageException {
        AgentOptions defaults = AgentOptions.builder().build();
        assertEquals(ArgsParser.parse(), defaults);
        assertEquals(AgentOptions.DEFAULT_CHAIN, defaults.masqChain());
        assertTrue(defaults.randomFully());
        assertEquals(RunMode.DAEMON, defaults.runMode());
    }

    @Test
    void theFirstBadValueOnTheLineIsReportedAsGoDoes() {
        UsageException e = assertThrows(UsageException.class,
                () -> ArgsParser.parse("--health-port=0", "--masq-chain=INPUT"));
        assertEquals("--health-port: \"0\" is not a port in 1-65535", e.getMessage());
    }

    @Test
    void aBackendBooleanFlagReachesItsBackendAsGoReadsIt() throws UsageException {
        AgentOptions options = ArgsParser.parse(Map.of("hns-switch", FlagKind.BOOLEAN), "-hns-switch", "F");
        assertEquals(Map.of("hns-switch", "false"), options.backendFlags());
    }

    private static void assertParses(String arg) {
        try {
            ArgsParser.parse(arg);
        } catch (UsageException e) {
            throw new AssertionError(arg + " was refused: " + e.getMessage(), e);
        }
    }
}
