package org.ipmasq.agent.config;

/**
 * A configuration problem the user has to fix. The message is the complete, one-line text shown to
 * the user (in logs and health data), so it names the offending key or value itself.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
