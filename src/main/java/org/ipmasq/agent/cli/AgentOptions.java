package org.ipmasq.agent.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.ipmasq.agent.backend.iptables.IptablesModeOption;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.kube.ConfigMapRef;

/**
 * Everything the command line says, validated and immutable. Flags of the original agent keep
 * their names and defaults so existing DaemonSets start unchanged.
 */
public record AgentOptions(
        RunMode runMode,
        boolean dryRun,
        String backend,
        String masqChain,
        boolean nomasqAllReservedRanges,
        boolean enableIpv6,
        boolean randomFully,
        ToPorts toPorts,
        Path configPath,
        IptablesModeOption iptablesMode,
        OptionalInt healthPort,
        ConfigSourceMode configSource,
        ConfigMapRef configMap,
        Optional<String> nodeName,
        boolean jsonLogs,
        Map<String, String> backendFlags,
        List<String> ignoredFlags) {

    public static final String DEFAULT_CHAIN = "IP-MASQ-AGENT";
    public static final Path DEFAULT_CONFIG_PATH = Path.of("/etc/config/ip-masq-agent");

    public AgentOptions {
        backendFlags = Map.copyOf(backendFlags);
        ignoredFlags = List.copyOf(ignoredFlags);
    }

    public static AgentOptions defaults() {
        return new AgentOptions(RunMode.DAEMON, false, "auto", DEFAULT_CHAIN, false, false, true, ToPorts.NONE,
                DEFAULT_CONFIG_PATH, IptablesModeOption.AUTO, OptionalInt.empty(), ConfigSourceMode.AUTO, ConfigMapRef.DEFAULT, Optional.empty(),
                false, Map.of(), List.of());
    }
}
