package org.ipmasq.agent.cli;

import static org.ipmasq.agent.cli.FlagDefinition.toggle;
import static org.ipmasq.agent.cli.FlagDefinition.value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ipmasq.agent.core.FlagKind;

/**
 * The agent's own flags, each defined once, in the order the usage text lists them. Defaults
 * live in {@link AgentOptionsBuilder}; the help lines state them for the operator.
 */
final class AgentFlags {

    /** Width of the usage text's first column, so descriptions line up. */
    private static final int SYNOPSIS_WIDTH = 32;
    private static final String INDENT = "  ";

    /** klog's flags: old manifests pass them; we accept them and say once that they do nothing. */
    private static final List<String> KLOG_SWITCHES = List.of("logtostderr", "alsologtostderr", "skip_headers",
            "skip_log_headers", "add_dir_header", "one_output");
    private static final List<String> KLOG_VALUE_FLAGS = List.of("v", "log_dir", "log_file", "log_file_max_size",
            "stderrthreshold", "vmodule", "log_backtrace_at", "log-flush-frequency");

    private static final List<FlagDefinition> DOCUMENTED = List.of(
            value("masq-chain", "NAME",
                    List.of("nat chain to own (default IP-MASQ-AGENT, at most 28 characters)"),
                    (o, v) -> o.masqChain(FlagValues.chainName(v))),
            toggle("nomasq-all-reserved-ranges", "",
                    List.of("default nonMasqueradeCIDRs = every RFC-reserved IPv4 range"),
                    AgentOptionsBuilder::nomasqAllReservedRanges),
            toggle("enable-ipv6", "", List.of("also program ip6tables"), AgentOptionsBuilder::enableIpv6),
            toggle("random-fully", "[=false]",
                    List.of("add --random-fully to MASQUERADE where supported (default true)"),
                    AgentOptionsBuilder::randomFully),
            value("to-ports", "RANGES",
                    List.of("e.g. 1024-29999,32768-65535: MASQUERADE tcp/udp/sctp to these ports"),
                    (o, v) -> o.toPorts(FlagValues.toPorts(v))),
            value("config", "PATH",
                    List.of("config file (default /etc/config/ip-masq-agent; absent = defaults),",
                            "or a directory: every regular file in it is a source, merged",
                            "in name order (a projected volume of several ConfigMaps)"),
                    (o, v) -> o.configPath(Path.of(FlagValues.nonEmpty(v, "--config: the path is empty")))),
            value("iptables-mode", "auto|legacy|nft",
                    List.of("which iptables to drive (auto: the one holding rules)"),
                    (o, v) -> o.iptablesMode(FlagValues.iptablesMode(v))),
            value("health-port", "PORT", List.of("port of /q/health (default 9742)"),
                    (o, v) -> o.healthPort(FlagValues.healthPort(v))),
            value("config-source", "auto|api|file",
                    List.of("auto: the ConfigMap through the API when credentials exist and the",
                            "API answers, else the file; api: the API only; file: the file only"),
                    (o, v) -> o.configSource(ConfigSourceMode.parse(v))),
            value("configmap-namespace", "NS", List.of("namespace of the ConfigMap (default kube-system)"),
                    AgentOptionsBuilder::configMapNamespace),
            value("configmap-name", "NAME[,NAME...]",
                    List.of("the ConfigMap(s) (default ip-masq-agent); several are merged,",
                            "the first is the primary (docs/configuration.md)"),
                    AgentOptionsBuilder::configMapNames),
            value("configmap-key", "KEY", List.of("key holding the document (default config)"),
                    AgentOptionsBuilder::configMapKey),
            value("node-name", "NAME", List.of("this node, for Events (default: $NODE_NAME, else the host name)"),
                    AgentOptionsBuilder::nodeName),
            value("log-format", "text|json",
                    List.of("human-readable lines (default) or one JSON object per line"),
                    (o, v) -> o.jsonLogs(FlagValues.jsonLogs(v))),
            value("backend", "NAME",
                    List.of("auto (by OS and installed tools), iptables, or another installed backend"),
                    (o, v) -> o.backend(FlagValues.nonEmpty(v,
                            "--backend: the name is empty (use auto or a backend's name)"))),
            toggle("sync-once", "", List.of("apply once and exit"), AgentOptionsBuilder::syncOnce),
            toggle("dry-run", "", List.of("print what would be written, change nothing"),
                    AgentOptionsBuilder::dryRun),
            toggle("cleanup", "", List.of("remove the chain and the POSTROUTING jump, then exit"),
                    AgentOptionsBuilder::cleanup));

    /** Listed as one line rather than one per flag: they exist only so old manifests still start. */
    private static final String KLOG_USAGE_LINE = usageLine("--v, --logtostderr, ...",
            "klog flags of the original: accepted and ignored");

    /** Every flag of the agent by name, klog's and --help included. */
    static final Map<String, FlagDefinition> BY_NAME = byName();

    private AgentFlags() {
    }

    private static Map<String, FlagDefinition> byName() {
        Map<String, FlagDefinition> all = new LinkedHashMap<>();
        DOCUMENTED.forEach(flag -> all.put(flag.name(), flag));
        all.put("help", toggle("help", "", List.of(), AgentOptionsBuilder::help));
        Stream.concat(KLOG_SWITCHES.stream().map(name -> toggle(name, "", List.of(), (o, v) -> o.ignoredFlag("--" + name))),
                KLOG_VALUE_FLAGS.stream().map(name -> value(name, "", List.of(), (o, v) -> o.ignoredFlag("--" + name))))
                .forEach(flag -> all.put(flag.name(), flag));
        return Collections.unmodifiableMap(all);
    }

    /** A flag a backend declares: its value is handed to that backend as text. */
    static FlagDefinition backendFlag(String name, FlagKind kind) {
        return kind == FlagKind.BOOLEAN
                ? toggle(name, "", List.of(), (o, v) -> o.backendFlag(name, Boolean.toString(v)))
                : value(name, "", List.of(), (o, v) -> o.backendFlag(name, v));
    }

    static String usage() {
        List<String> lines = new ArrayList<>();
        lines.add("Usage: ip-masq-agent [flags]");
        for (FlagDefinition flag : DOCUMENTED) {
            String synopsis = "--" + flag.name() + flag.synopsis();
            lines.add(usageLine(synopsis, flag.help().get(0)));
            flag.help().stream().skip(1).forEach(more -> lines.add(usageLine("", more)));
        }
        lines.add(KLOG_USAGE_LINE);
        return String.join("\n", lines) + "\n";
    }

    /** A synopsis too wide for the column still gets one space before its description. */
    private static String usageLine(String synopsis, String description) {
        String padded = synopsis.length() < SYNOPSIS_WIDTH
                ? synopsis + " ".repeat(SYNOPSIS_WIDTH - synopsis.length())
                : synopsis + " ";
        return INDENT + padded + description;
    }
}
