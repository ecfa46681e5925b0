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
        List<ConfigMapRef> configMaps,
        Optional<String> nodeName,
        boolean jsonLogs,
        Map<String, String> backendFlags,
        List<String> ignoredFlags) {

    public static final String DEFAULT_CHAIN = "IP-MASQ-AGENT";
    public static final Path DEFAULT_CONFIG_PATH = Path.of("/etc/config/ip-masq-agent");

    public AgentOptions {
        backendFlags = Map.copyOf(backendFlags);
        ignoredFlags = List.copyOf(ignoredFlags);
        configMaps = List.copyOf(configMaps);
        if (configMaps.isEmpty()) {
            throw new IllegalArgumentException("at least one ConfigMap");
        }
    }

    /** The first ConfigMap named: the primary, whose resyncInterval wins (docs/configuration.md). */
    public ConfigMapRef primaryConfigMap() {
        return configMaps.get(0);
    }

    /** Options with every flag at its default, for setting the flags one by one. */
    public static AgentOptionsBuilder builder() {
        return new AgentOptionsBuilder();
    }
}
