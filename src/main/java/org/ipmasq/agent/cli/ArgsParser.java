package org.ipmasq.agent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.ipmasq.agent.backend.iptables.IptablesModeOption;
import org.ipmasq.agent.core.FlagKind;
import org.ipmasq.agent.core.ToPorts;
import org.ipmasq.agent.kube.ConfigMapRef;

/**
 * Parses the command line the way Go's flag package does for the original agent: {@code -flag}
 * or {@code --flag}, {@code --flag=value} or {@code --flag value}, and a boolean flag alone
 * meaning true. Unlike Go, a boolean may also take its value as the next word
 * ({@code --enable-ipv6 false}), since operators write both forms.
 */
public final class ArgsParser {

    /** Chain names iptables reserves: built-in chains and standard targets. */
    private static final Set<String> RESERVED_CHAIN_NAMES = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT",
            "POSTROUTING", "ACCEPT", "DROP", "RETURN", "QUEUE", "MASQUERADE", "SNAT", "DNAT", "REDIRECT");
    /** iptables' limit (XT_EXTENSION_MAXNAMELEN - 1 is 28 usable characters for a chain). */
    private static final int MAX_CHAIN_LENGTH = 28;

    /** klog's flags: old manifests pass them; we accept them and say once that they do nothing. */
    private static final Set<String> KLOG_BOOLEAN_FLAGS = Set.of("logtostderr", "alsologtostderr", "skip_headers",
            "skip_log_headers", "add_dir_header", "one_output");
    private static final Set<String> KLOG_VALUE_FLAGS = Set.of("v", "log_dir", "log_file", "log_file_max_size",
            "stderrthreshold", "vmodule", "log_backtrace_at", "log-flush-frequency");

    private static final Map<String, FlagKind> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("masq-chain", FlagKind.VALUE);
        FLAGS.put("nomasq-all-reserved-ranges", FlagKind.BOOLEAN);
        FLAGS.put("enable-ipv6", FlagKind.BOOLEAN);
        FLAGS.put("random-fully", FlagKind.BOOLEAN);
        FLAGS.put("to-ports", FlagKind.VALUE);
        FLAGS.put("config", FlagKind.VALUE);
        FLAGS.put("sync-once", FlagKind.BOOLEAN);
        FLAGS.put("dry-run", FlagKind.BOOLEAN);
        FLAGS.put("cleanup", FlagKind.BOOLEAN);
        FLAGS.put("iptables-mode", FlagKind.VALUE);
        FLAGS.put("health-port", FlagKind.VALUE);
        FLAGS.put("backend", FlagKind.VALUE);
        FLAGS.put("config-source", FlagKind.VALUE);
        FLAGS.put("configmap-namespace", FlagKind.VALUE);
        FLAGS.put("configmap-name", FlagKind.VALUE);
        FLAGS.put("configmap-key", FlagKind.VALUE);
        FLAGS.put("node-name", FlagKind.VALUE);
        FLAGS.put("log-format", FlagKind.VALUE);
        FLAGS.put("help", FlagKind.BOOLEAN);
        KLOG_BOOLEAN_FLAGS.forEach(f -> FLAGS.put(f, FlagKind.BOOLEAN));
        KLOG_VALUE_FLAGS.forEach(f -> FLAGS.put(f, FlagKind.VALUE));
    }

    private ArgsParser() {
    }

    /** Parses the agent's own flags only. */
    public static AgentOptions parse(String... args) throws UsageException {
        return parse(Map.of(), args);
    }

    /** Parses the agent's flags plus those the installed backends declare. */
    public static AgentOptions parse(Map<String, FlagKind> backendFlags, String... args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> backendValues = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
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
            FlagKind kind = FLAGS.containsKey(name) ? FLAGS.get(name) : backendFlags.get(name);
            if (kind == null) {
                throw new UsageException("unknown flag --" + name + " (see --help)");
            }
            if (value == null) {
                if (kind == FlagKind.BOOLEAN) {
                    value = i + 1 < args.length && isBooleanWord(args[i + 1]) ? args[++i] : "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException("flag --" + name + " needs a value");
                }
            }
            if (kind == FlagKind.BOOLEAN) {
                value = Boolean.toString(parseBoolean(name, value));
            }
            if (KLOG_BOOLEAN_FLAGS.contains(name) || KLOG_VALUE_FLAGS.contains(name)) {
                ignored.add("--" + name);
            } else if (!FLAGS.containsKey(name)) {
                backendValues.put(name, value);
            } else {
                values.put(name, value);
            }
        }
        return build(values, backendValues, ignored);
    }

    private static AgentOptions build(Map<String, String> values, Map<String, String> backendValues,
            List<String> ignored) throws UsageException {
        AgentOptions d = AgentOptions.defaults();
        String chain = values.getOrDefault("masq-chain", d.masqChain());
        validateChainName(chain);
        ToPorts toPorts = values.containsKey("to-ports") ? toPorts(values.get("to-ports")) : d.toPorts();
        String configPath = values.get("config");
        if (configPath != null && configPath.isEmpty()) {
            throw new UsageException("--config: the path is empty");
        }
        IptablesModeOption mode = values.containsKey("iptables-mode")
                ? iptablesMode(values.get("iptables-mode")) : d.iptablesMode();
        OptionalInt healthPort = values.containsKey("health-port")
                ? OptionalInt.of(parsePort(values.get("health-port"))) : d.healthPort();
        String backend = values.getOrDefault("backend", d.backend());
        if (backend.isEmpty()) {
            throw new UsageException("--backend: the name is empty (use auto or a backend's name)");
        }
        return new AgentOptions(runMode(values), flag(values, "dry-run", false), backend, chain,
                flag(values, "nomasq-all-reserved-ranges", d.nomasqAllReservedRanges()),
                flag(values, "enable-ipv6", d.enableIpv6()),
                flag(values, "random-fully", d.randomFully()),
                toPorts,
                configPath == null ? d.configPath() : Path.of(configPath),
                mode, healthPort,
                values.containsKey("config-source") ? ConfigSourceMode.parse(values.get("config-source")) : d.configSource(),
                configMap(values.getOrDefault("configmap-namespace", d.configMap().namespace()),
                        values.getOrDefault("configmap-name", d.configMap().name()),
                        values.getOrDefault("configmap-key", d.configMap().key())),
                java.util.Optional.ofNullable(values.get("node-name")).filter(n -> !n.isEmpty()),
                jsonLogs(values.getOrDefault("log-format", "text")),
                backendValues, ignored);
    }

    private static ToPorts toPorts(String text) throws UsageException {
        try {
            return ToPorts.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--to-ports: " + e.getMessage());
        }
    }

    private static IptablesModeOption iptablesMode(String text) throws UsageException {
        try {
            return IptablesModeOption.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--iptables-mode: " + e.getMessage());
        }
    }

    private static ConfigMapRef configMap(String namespace, String name, String key) throws UsageException {
        if (!ConfigMapRef.validNamespace(namespace)) {
            throw new UsageException("--configmap-namespace: \"" + namespace + "\" is not a valid namespace name");
        }
        if (!ConfigMapRef.validName(name)) {
            throw new UsageException("--configmap-name: \"" + name + "\" is not a valid ConfigMap name");
        }
        if (!ConfigMapRef.validKey(key)) {
            throw new UsageException("--configmap-key: \"" + key + "\" is not a valid ConfigMap key");
        }
        return new ConfigMapRef(namespace, name, key);
    }

    private static RunMode runMode(Map<String, String> values) throws UsageException {
        if (flag(values, "help", false)) {
            return RunMode.HELP;
        }
        boolean syncOnce = flag(values, "sync-once", false);
        boolean cleanup = flag(values, "cleanup", false);
        if (cleanup && syncOnce) {
            throw new UsageException("--cleanup and --sync-once contradict each other: pick one");
        }
        if (cleanup) {
            return RunMode.CLEANUP;
        }
        // A dry run is always a single pass: printing the same plan every interval helps nobody.
        return syncOnce || flag(values, "dry-run", false) ? RunMode.SYNC_ONCE : RunMode.DAEMON;
    }

    private static boolean jsonLogs(String format) throws UsageException {
        return switch (format) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new UsageException("--log-format: \"" + format + "\" is not one of text, json");
        };
    }

    private static boolean flag(Map<String, String> values, String name, boolean fallback) {
        String v = values.get(name);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    private static boolean isBooleanWord(String word) {
        return Set.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False").contains(word);
    }

    /** Go's strconv.ParseBool, which the original's flags used. */
    private static boolean parseBoolean(String name, String value) throws UsageException {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new UsageException("--" + name + ": \"" + value + "\" is not a boolean (true or false)");
        };
    }

    private static int parsePort(String text) throws UsageException {
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

    static void validateChainName(String chain) throws UsageException {
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
    }

    public static String usage() {
        return """
                Usage: ip-masq-agent [flags]
                  --masq-chain NAME               nat chain to own (default IP-MASQ-AGENT, at most 28 characters)
                  --nomasq-all-reserved-ranges    default nonMasqueradeCIDRs = every RFC-reserved IPv4 range
                  --enable-ipv6                   also program ip6tables
                  --random-fully[=false]          add --random-fully to MASQUERADE where supported (default true)
                  --to-ports RANGES               e.g. 1024-29999,32768-65535: MASQUERADE tcp/udp/sctp to these ports
                  --config PATH                   config file (default /etc/config/ip-masq-agent; absent = defaults)
                  --iptables-mode auto|legacy|nft which iptables to drive (auto: the one holding rules)
                  --health-port PORT              port of /q/health (default 9742)
                  --config-source auto|api|file   auto: the ConfigMap through the API when credentials exist and the
                                                  API answers, else the file; api: the API only; file: the file only
                  --configmap-namespace NS        namespace of the ConfigMap (default kube-system)
                  --configmap-name NAME           name of the ConfigMap (default ip-masq-agent)
                  --configmap-key KEY             key holding the document (default config)
                  --node-name NAME                this node, for Events (default: $NODE_NAME, else the host name)
                  --log-format text|json          human-readable lines (default) or one JSON object per line
                  --backend NAME                  auto (by OS and installed tools), iptables, or another installed backend
                  --sync-once                     apply once and exit
                  --dry-run                       print what would be written, change nothing
                  --cleanup                       remove the chain and the POSTROUTING jump, then exit
                  --v, --logtostderr, ...         klog flags of the original: accepted and ignored
                """;
    }
}
