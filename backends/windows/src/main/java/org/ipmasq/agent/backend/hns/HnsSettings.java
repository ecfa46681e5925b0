package org.ipmasq.agent.backend.hns;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.FlagKind;

/**
 * What the HNS backend needs from the command line, and nothing else. Its two own flags are
 * declared here ({@link #FLAGS}); the command line accepts them and builds this value.
 *
 * @param cniConf the CNI conf file or folder to keep in line ({@code --windows-cni-conf}), if any
 * @param snapshot an HNS snapshot file to preview against ({@code --hns-snapshot}), if any
 * @param dryRun whether this run only previews ({@code --dry-run})
 * @param toPortsGiven whether {@code --to-ports} was given, which HNS cannot honour
 */
public record HnsSettings(Optional<Path> cniConf, Optional<Path> snapshot, boolean dryRun, boolean toPortsGiven) {

    public static final String CNI_CONF_FLAG = "windows-cni-conf";
    public static final String SNAPSHOT_FLAG = "hns-snapshot";

    /** The flags only this backend understands, by name (without dashes). */
    public static final Map<String, FlagKind> FLAGS;

    static {
        Map<String, FlagKind> flags = new LinkedHashMap<>();
        flags.put(CNI_CONF_FLAG, FlagKind.VALUE);
        flags.put(SNAPSHOT_FLAG, FlagKind.VALUE);
        FLAGS = java.util.Collections.unmodifiableMap(flags);
    }

    /**
     * Reads the values of this backend's own flags.
     *
     * @throws BackendException when a path flag was given empty
     */
    public static HnsSettings of(Map<String, String> flagValues, boolean dryRun, boolean toPortsGiven)
            throws BackendException {
        return new HnsSettings(path(flagValues, CNI_CONF_FLAG), path(flagValues, SNAPSHOT_FLAG), dryRun, toPortsGiven);
    }

    private static Optional<Path> path(Map<String, String> flagValues, String flag) throws BackendException {
        String value = flagValues.get(flag);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new BackendException("--" + flag + ": the path is empty");
        }
        return Optional.of(Path.of(value));
    }
}
