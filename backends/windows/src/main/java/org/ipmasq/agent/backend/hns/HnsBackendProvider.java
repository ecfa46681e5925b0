package org.ipmasq.agent.backend.hns;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.BackendProvider;
import org.ipmasq.agent.core.FlagKind;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.exec.CommandRunner;
import org.jboss.logging.Logger;

/**
 * Registers the Windows backend with the core (see META-INF/services). Instantiated on every OS
 * by the ServiceLoader, so nothing here may touch JNA: the native binding is reached only
 * through {@link ComputeNetworkLibrary}, and only on Windows.
 */
public final class HnsBackendProvider implements BackendProvider<HnsSettings> {

    private static final Logger LOG = Logger.getLogger(HnsBackendProvider.class);

    static final String CNI_CONF_FLAG = HnsSettings.CNI_CONF_FLAG;
    static final String SNAPSHOT_FLAG = HnsSettings.SNAPSHOT_FLAG;

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
        return HnsSettings.FLAGS;
    }

    @Override
    public Class<HnsSettings> settingsType() {
        return HnsSettings.class;
    }

    @Override
    public MasqBackend create(HnsSettings settings, CommandRunner runner) throws BackendException {
        Optional<CniConfRewriter> cniConfs = settings.cniConf().map(CniConfRewriter::new);
        if (settings.toPortsGiven()) {
            LOG.warn("--to-ports has no effect with the hns backend: HNS OutBoundNAT has no port-range setting here");
        }
        Optional<Path> snapshot = settings.snapshot();
        if (snapshot.isPresent()) {
            // A snapshot answers list and query only; a sync against it could only pretend.
            if (!settings.dryRun()) {
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

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
