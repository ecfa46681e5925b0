package org.ipmasq.agent.backend.hns;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.cli.FlagKind;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.BackendProvider;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.exec.CommandRunner;
import org.jboss.logging.Logger;

/**
 * Registers the Windows backend with the core (see META-INF/services). Instantiated on every OS
 * by the ServiceLoader, so nothing here may touch JNA: the native binding is reached only
 * through {@link ComputeNetworkLibrary}, and only on Windows.
 */
public final class HnsBackendProvider implements BackendProvider {

    private static final Logger LOG = Logger.getLogger(HnsBackendProvider.class);

    static final String CNI_CONF_FLAG = "windows-cni-conf";
    static final String SNAPSHOT_FLAG = "hns-snapshot";

    @Override
    public String name() {
        return HnsBackend.NAME;
    }

    @Override
    public boolean suitsThisHost(CommandRunner runner) {
        return isWindows();
    }

    @Override
    public int preference() {
        return 100;
    }

    @Override
    public Map<String, FlagKind> flags() {
        Map<String, FlagKind> flags = new LinkedHashMap<>();
        flags.put(CNI_CONF_FLAG, FlagKind.VALUE);
        flags.put(SNAPSHOT_FLAG, FlagKind.VALUE);
        return flags;
    }

    @Override
    public MasqBackend create(AgentOptions options, CommandRunner runner) throws BackendException {
        Optional<CniConfRewriter> cniConfs = path(options, CNI_CONF_FLAG).map(CniConfRewriter::new);
        if (!options.toPorts().isEmpty()) {
            LOG.warn("--to-ports has no effect with the hns backend: HNS OutBoundNAT has no port-range setting here");
        }
        Optional<Path> snapshot = path(options, SNAPSHOT_FLAG);
        if (snapshot.isPresent()) {
            // A snapshot answers list and query only; a sync against it could only pretend.
            if (!options.dryRun()) {
                throw new BackendException("--" + SNAPSHOT_FLAG + " previews only: add --dry-run "
                        + "(a snapshot file is not an HNS that could be changed)");
            }
            return new HnsBackend(new SnapshotHcn(snapshot.get()), "snapshot:" + snapshot.get(), cniConfs);
        }
        if (!isWindows()) {
            throw new BackendException("the hns backend drives the Windows Host Networking Service "
                    + "(computenetwork.dll) and runs only on Windows, not on " + System.getProperty("os.name")
                    + "; to preview elsewhere use --backend=hns --dry-run --" + SNAPSHOT_FLAG + " FILE");
        }
        return new HnsBackend(new LazyHcn(ComputeNetworkLibrary::load), "computenetwork.dll", cniConfs);
    }

    private static Optional<Path> path(AgentOptions options, String flag) throws BackendException {
        String value = options.backendFlags().get(flag);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new BackendException("--" + flag + ": the path is empty");
        }
        return Optional.of(Path.of(value));
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
