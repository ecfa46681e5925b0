package org.ipmasq.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates a config document (YAML or JSON, the content of the agent's ConfigMap).
 *
 * <p>Types are checked by hand on the Jackson tree instead of binding to a class, so every error
 * can name the key and what was found there. Keys that are absent or null keep their default, as
 * with Go's JSON unmarshalling in the original agent. Only the first problem is reported.
 */
public final class ConfigParser {

    /** A ConfigMap holds at most 1 MiB; a larger document is a mistake, not a config. */
    public static final int MAX_CONFIG_BYTES = 1024 * 1024;

    static final String NON_MASQUERADE_CIDRS = "nonMasqueradeCIDRs";
    static final String FORCE_MASQUERADE_CIDRS = "forceMasqueradeCIDRs";
    static final String CIDR_LIMIT = "cidrLimit";
    static final String MASQ_LINK_LOCAL = "masqLinkLocal";
    static final String MASQ_LINK_LOCAL_IPV6 = "masqLinkLocalIPv6";
    static final String RESYNC_INTERVAL = "resyncInterval";

    private static final Set<String> KNOWN_KEYS = Set.of(
            NON_MASQUERADE_CIDRS, FORCE_MASQUERADE_CIDRS, CIDR_LIMIT, MASQ_LINK_LOCAL, MASQ_LINK_LOCAL_IPV6, RESYNC_INTERVAL);

    private ConfigParser() {
    }

    /**
     * Parses a small document of each family and drops the result. The first parse in a process
     * loads a few hundred classes (Jackson, SnakeYAML, the address library): about 100 ms that a
     * cold start can spend on another core while it waits for the backend's probes.
     */
    public static void warmUp() {
        try {
            parse("nonMasqueradeCIDRs: [10.0.0.0/8, fd00::/8]\nresyncInterval: 60s\nmasqLinkLocal: false\n",
                    ParseContext.of(true, false));
        } catch (ConfigException e) {
            throw new IllegalStateException("the warm-up document is valid", e);
        }
    }

    /**
     * Parses one document. Empty text, comments only or a null document give the defaults.
     *
     * @throws ConfigException with a one-line message naming the key and the problem
     */
    public static ParsedConfig parse(String text, ParseContext ctx) throws ConfigException {
        ParsedSource source = parseSource(text, ctx);
        return new ParsedConfig(ConfigMerge.merge(java.util.List.of(source.config()), ctx), source.unknownKeys());
    }

    /**
     * Parses one source of a merged config: like {@link #parse}, validated on its own, but keeping
     * which keys the document leaves out, since a key one source leaves out is for the others to set.
     *
     * @throws ConfigException with a one-line message naming the key and the problem
     */
    public static ParsedSource parseSource(String text, ParseContext ctx) throws ConfigException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(ctx, "ctx");
        checkSize(text);
        JsonNode root = ConfigDocument.read(text);
        if (root == null) {
            return new ParsedSource(SourceConfig.EMPTY, List.of());
        }
        if (!root.isObject()) {
            throw new ConfigException("config must be a YAML or JSON mapping of keys, got " + kindOf(root));
        }

        // cidrLimit first: the list checks below need the limit of this same document.
        JsonNode limitNode = root.get(CIDR_LIMIT);
        int cidrLimit = readCidrLimit(limitNode);
        SourceConfig config = new SourceConfig(
                readCidrs(NON_MASQUERADE_CIDRS, root.get(NON_MASQUERADE_CIDRS), ctx.defaultNonMasqueradeCidrs(), cidrLimit, ctx),
                readCidrs(FORCE_MASQUERADE_CIDRS, root.get(FORCE_MASQUERADE_CIDRS), List.of(), cidrLimit, ctx),
                isAbsent(limitNode) ? Optional.empty() : Optional.of(cidrLimit),
                readBoolean(MASQ_LINK_LOCAL, root.get(MASQ_LINK_LOCAL)),
                readBoolean(MASQ_LINK_LOCAL_IPV6, root.get(MASQ_LINK_LOCAL_IPV6)),
                readResyncInterval(root.get(RESYNC_INTERVAL)));

        List<String> unknownKeys = new ArrayList<>();
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KNOWN_KEYS.contains(key)) {
                unknownKeys.add(key);
            }
        }
        return new ParsedSource(config, unknownKeys);
    }

    /** Counted in UTF-8 bytes, like the ConfigMap limit; no copy of the text is made. */
    private static void checkSize(String text) throws ConfigException {
        if (text.length() <= MAX_CONFIG_BYTES / 3) {
            return; // even at three bytes per char this fits
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_CONFIG_BYTES) {
            throw new ConfigException("config is " + bytes + " bytes, over the 1 MiB limit of a ConfigMap");
        }
    }

    private static int readCidrLimit(JsonNode node) throws ConfigException {
        if (isAbsent(node)) {
            return MasqConfig.DEFAULT_CIDR_LIMIT;
        }
        if (!node.isIntegralNumber()) {
            throw new ConfigException(CIDR_LIMIT + " must be an integer, got " + describe(node));
        }
        if (!node.canConvertToInt()) {
            throw new ConfigException(CIDR_LIMIT + " must be an integer from 0 to " + Integer.MAX_VALUE + ", got " + node);
        }
        if (node.intValue() < 0) {
            throw new ConfigException(CIDR_LIMIT + " must not be negative, got " + node.intValue());
        }
        return node.intValue();
    }

    /** Empty when the key is absent: the list is then the other sources' or, failing those, the default. */
    private static Optional<List<Cidr>> readCidrs(String key, JsonNode node, List<Cidr> defaults, int cidrLimit,
            ParseContext ctx) throws ConfigException {
        if (isAbsent(node)) {
            if (defaults.size() > cidrLimit) {
                // The default list is chosen by a flag (--nomasq-all-reserved-ranges), so this is the node's view.
                throw ConfigException.nodeSpecific(key + " has " + defaults.size()
                        + " entries (the default list), more than " + CIDR_LIMIT + " " + cidrLimit);
            }
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw new ConfigException(key + " must be a list of CIDR strings, got " + describe(node));
        }
        // Checked before parsing: the limit exists to stop runaway documents early.
        if (node.size() > cidrLimit) {
            throw new ConfigException(key + " has " + node.size() + " entries, more than " + CIDR_LIMIT + " " + cidrLimit);
        }
        // Exact duplicates are dropped so each CIDR turns into one rule; the user's order is kept.
        Set<Cidr> cidrs = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String where = key + "[" + i + "]";
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new ConfigException(where + " must be a CIDR string, got " + describe(item));
            }
            Cidr cidr;
            try {
                cidr = Cidr.parse(item.textValue());
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + e.getMessage(), e);
            }
            if (cidr.isIPv6() && !ctx.ipv6Enabled()) {
                throw ConfigException.nodeSpecific(where + ": " + Quote.of(item.textValue())
                        + " is an IPv6 CIDR but IPv6 is not enabled; start the agent with --enable-ipv6");
            }
            cidrs.add(cidr);
        }
        return Optional.of(List.copyOf(cidrs));
    }

    private static boolean readBoolean(String key, JsonNode node) throws ConfigException {
        if (isAbsent(node)) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new ConfigException(key + " must be a boolean (true or false), got " + describe(node));
        }
        return node.booleanValue();
    }

    private static Optional<Duration> readResyncInterval(JsonNode node) throws ConfigException {
        if (isAbsent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new ConfigException(RESYNC_INTERVAL + " must be a duration string such as \"60s\", got " + describe(node));
        }
        Duration interval;
        try {
            interval = GoDuration.parse(node.textValue());
        } catch (ConfigException e) {
            throw new ConfigException(RESYNC_INTERVAL + ": " + e.getMessage(), e);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new ConfigException(RESYNC_INTERVAL + " must be positive, got " + Quote.of(node.textValue()));
        }
        return Optional.of(interval);
    }

    /** Go's unmarshalling leaves a field at its default for a missing key and for an explicit null. */
    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** What was found, with the value for scalars: {@code a string ("x")}, {@code a number (60)}. */
    private static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "a string (" + Quote.of(node.textValue()) + ")";
        }
        if (node.isNumber() || node.isBoolean()) {
            return kindOf(node) + " (" + node + ")";
        }
        return kindOf(node);
    }

    private static String kindOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
            case POJO -> "an object";
        };
    }
}
