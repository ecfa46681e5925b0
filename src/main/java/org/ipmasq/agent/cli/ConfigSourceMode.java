package org.ipmasq.agent.cli;

/** Where the config document comes from. */
public enum ConfigSourceMode {
    /** The ConfigMap through the API when credentials exist and it answers, else the mounted file. */
    AUTO,
    /** Only the API: the agent waits for it rather than read a file. */
    API,
    /** Only the file, as the original agent does. */
    FILE;

    static ConfigSourceMode parse(String text) throws UsageException {
        return switch (text) {
            case "auto" -> AUTO;
            case "api" -> API;
            case "file" -> FILE;
            default -> throw new UsageException("--config-source: \"" + text + "\" is not one of auto, api, file");
        };
    }
}
