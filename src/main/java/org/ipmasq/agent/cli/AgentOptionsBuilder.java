package org.ipmasq.agent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.ipmasq.agent.backend.iptables.IptablesModeOption;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.kube.ConfigMapRef;

/**
 * Collects flag values one at a time and holds every default in one place: its field values
 * are the original agent's defaults, so an empty command line builds what an existing
 * DaemonSet expects. Each value arrives already checked; {@link #build()} checks only what
 * spans several flags (the run mode, the ConfigMap list).
 */
public final class AgentOptionsBuilder {

    private boolean help;
    private boolean syncOnce;
    private boolean cleanup;
    private boolean dryRun;
    private String backend = "auto";
    private String masqChain = AgentOptions.DEFAULT_CHAIN;
    private boolean nomasqAllReservedRanges;
    private boolean enableIpv6;
    private boolean randomFully = true;
    private ToPorts toPorts = ToPorts.NONE;
    private Path configPath = AgentOptions.DEFAULT_CONFIG_PATH;
    private IptablesModeOption iptablesMode = IptablesModeOption.AUTO;
    private OptionalInt healthPort = OptionalInt.empty();
    private ConfigSourceMode configSource = ConfigSourceMode.AUTO;
    private String configMapNamespace = ConfigMapRef.DEFAULT.namespace();
    private String configMapNames = ConfigMapRef.DEFAULT.name();
    private String configMapKey = ConfigMapRef.DEFAULT.key();
    private Optional<String> nodeName = Optional.empty();
    private boolean jsonLogs;
    private final Map<String, String> backendFlags = new LinkedHashMap<>();
    private final List<String> ignoredFlags = new ArrayList<>();

    AgentOptionsBuilder help(boolean value) {
        help = value;
        return this;
    }

    AgentOptionsBuilder syncOnce(boolean value) {
        syncOnce = value;
        return this;
    }

    AgentOptionsBuilder cleanup(boolean value) {
        cleanup = value;
        return this;
    }

    public AgentOptionsBuilder dryRun(boolean value) {
        dryRun = value;
        return this;
    }

    public AgentOptionsBuilder backend(String value) {
        backend = value;
        return this;
    }

    public AgentOptionsBuilder masqChain(String value) {
        masqChain = value;
        return this;
    }

    public AgentOptionsBuilder nomasqAllReservedRanges(boolean value) {
        nomasqAllReservedRanges = value;
        return this;
    }

    public AgentOptionsBuilder enableIpv6(boolean value) {
        enableIpv6 = value;
        return this;
    }

    public AgentOptionsBuilder randomFully(boolean value) {
        randomFully = value;
        return this;
    }

    public AgentOptionsBuilder toPorts(ToPorts value) {
        toPorts = value;
        return this;
    }

    public AgentOptionsBuilder configPath(Path value) {
        configPath = value;
        return this;
    }

    public AgentOptionsBuilder iptablesMode(IptablesModeOption value) {
        iptablesMode = value;
        return this;
    }

    public AgentOptionsBuilder healthPort(int value) {
        healthPort = OptionalInt.of(value);
        return this;
    }

    public AgentOptionsBuilder configSource(ConfigSourceMode value) {
        configSource = value;
        return this;
    }

    public AgentOptionsBuilder configMapNamespace(String value) {
        configMapNamespace = value;
        return this;
    }

    /** A comma-separated list, the primary first; checked in {@link #build()} with the namespace and key. */
    public AgentOptionsBuilder configMapNames(String value) {
        configMapNames = value;
        return this;
    }

    public AgentOptionsBuilder configMapKey(String value) {
        configMapKey = value;
        return this;
    }

    /** An empty name means "not given", so $NODE_NAME or the host name still applies. */
    public AgentOptionsBuilder nodeName(String value) {
        nodeName = Optional.of(value).filter(n -> !n.isEmpty());
        return this;
    }

    public AgentOptionsBuilder jsonLogs(boolean value) {
        jsonLogs = value;
        return this;
    }

    public AgentOptionsBuilder backendFlag(String name, String value) {
        backendFlags.put(name, value);
        return this;
    }

    AgentOptionsBuilder ignoredFlag(String flag) {
        ignoredFlags.add(flag);
        return this;
    }

    public AgentOptions build() throws UsageException {
        return new AgentOptions(runMode(), dryRun, backend, masqChain, nomasqAllReservedRanges, enableIpv6,
                randomFully, toPorts, configPath, iptablesMode, healthPort, configSource, configMaps(), nodeName,
                jsonLogs, backendFlags, ignoredFlags);
    }

    private RunMode runMode() throws UsageException {
        if (help) {
            return RunMode.HELP;
        }
        if (cleanup && syncOnce) {
            throw new UsageException("--cleanup and --sync-once contradict each other: pick one");
        }
        if (cleanup) {
            return RunMode.CLEANUP;
        }
        // A dry run is always a single pass: printing the same plan every interval helps nobody.
        return syncOnce || dryRun ? RunMode.SYNC_ONCE : RunMode.DAEMON;
    }

    /**
     * The ConfigMaps of {@code --configmap-name}: a comma-separated list of names in one
     * namespace, the primary first. Spaces around names are dropped; an empty or repeated name is
     * an error, since either is a typo that would otherwise watch nothing or the same thing twice.
     */
    private List<ConfigMapRef> configMaps() throws UsageException {
        List<ConfigMapRef> refs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : configMapNames.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new UsageException("--configmap-name: \"" + configMapNames + "\" has an empty name in its list");
            }
            if (!seen.add(name)) {
                throw new UsageException("--configmap-name: \"" + name + "\" is listed twice");
            }
            refs.add(configMap(name));
        }
        return List.copyOf(refs);
    }

    private ConfigMapRef configMap(String name) throws UsageException {
        if (!ConfigMapRef.validNamespace(configMapNamespace)) {
            throw new UsageException("--configmap-namespace: \"" + configMapNamespace + "\" is not a valid namespace name");
        }
        if (!ConfigMapRef.validName(name)) {
            throw new UsageException("--configmap-name: \"" + name + "\" is not a valid ConfigMap name");
        }
        if (!ConfigMapRef.validKey(configMapKey)) {
            throw new UsageException("--configmap-key: \"" + configMapKey + "\" is not a valid ConfigMap key");
        }
        return new ConfigMapRef(configMapNamespace, name, configMapKey);
    }
}
