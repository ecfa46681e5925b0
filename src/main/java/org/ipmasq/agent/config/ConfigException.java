package org.ipmasq.agent.config;

/**
 * A configuration problem the user has to fix. The message is the complete, one-line text shown to
 * the user (in logs and health data), so it names the offending key or value itself.
 *
 * <p>Most problems are in the document itself, so every node reading it finds the same one. A few
 * depend on how this node's agent was started (an IPv6 range without {@code --enable-ipv6}, a
 * default list chosen by a flag): those are {@link #nodeSpecific() node-specific}, and reports
 * about them must say which node found them.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean nodeSpecific;

    public ConfigException(String message) {
        super(message);
        this.nodeSpecific = false;
    }

    /** Keeps the scope of a wrapped {@code ConfigException}: adding context does not change who sees it. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.nodeSpecific = cause instanceof ConfigException config && config.nodeSpecific;
    }

    private ConfigException(String message, boolean nodeSpecific) {
        super(message);
        this.nodeSpecific = nodeSpecific;
    }

    /** A problem only nodes started a certain way see (a flag of this node decides it). */
    public static ConfigException nodeSpecific(String message) {
        return new ConfigException(message, true);
    }

    /** Whether another node, started with other flags, may accept the same document. */
    public boolean nodeSpecific() {
        return nodeSpecific;
    }
}
