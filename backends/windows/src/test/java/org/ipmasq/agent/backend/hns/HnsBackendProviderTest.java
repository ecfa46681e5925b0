package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.cli.CommandLineBackendSettings;
import org.ipmasq.agent.core.FlagKind;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.Backends;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;
import org.junit.jupiter.api.Test;

class HnsBackendProviderTest {

    private final HnsBackendProvider provider = new HnsBackendProvider();

    /** The HNS backend runs no programs; any attempt is a bug. */
    static final CommandRunner NO_PROGRAMS = new CommandRunner() {
        @Override
        public CommandResult run(List<String> argv, String stdin) {
            throw new AssertionError("ran " + argv);
        }

        @Override
        public boolean exists(String program) {
            return false;
        }
    };

    /** This backend's settings as the command line builds them from {@code args}. */
    private HnsSettings options(String... args) throws Exception {
        return new CommandLineBackendSettings(ArgsParser.parse(Backends.installed().flags(), args))
                .forBackend(HnsSettings.class);
    }

    @Test
    void isRegisteredWithItsFlags() {
        Backends installed = Backends.installed();
        assertEquals(true, installed.names().contains("hns"));
        assertEquals(FlagKind.VALUE, installed.flags().get("windows-cni-conf"));
        assertEquals(FlagKind.VALUE, installed.flags().get("hns-snapshot"));
        assertEquals(100, provider.preference());
    }

    @Test
    void suitsOnlyWindows() {
        assertEquals(System.getProperty("os.name").startsWith("Windows"), provider.suitsThisHost(NO_PROGRAMS));
    }

    @Test
    void aSnapshotPreviewNeedsNoWindows() throws Exception {
        MasqBackend backend = provider.create(options("--backend=hns", "--dry-run", "--hns-snapshot", "snap.json",
                "--windows-cni-conf", "C:\\etc\\cni\\net.d"), NO_PROGRAMS);

        assertEquals(Map.of("hnsApi", "v2", "hcn", "snapshot:snap.json", "cniConf", Path.of("C:\\etc\\cni\\net.d").toString()),
                backend.details());
    }

    @Test
    void aSnapshotIsForDryRunsOnly() {
        BackendException e = assertThrows(BackendException.class,
                () -> provider.create(options("--backend=hns", "--sync-once", "--hns-snapshot", "snap.json"), NO_PROGRAMS));

        assertEquals("--hns-snapshot previews only: add --dry-run (a snapshot file is not an HNS that could be changed)",
                e.getMessage());
    }

    @Test
    void onAnyOtherOsTheRealBackendRefusesToStartAndSaysHowToPreview() {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"));

        BackendException e = assertThrows(BackendException.class,
                () -> provider.create(options("--backend=hns"), NO_PROGRAMS));

        assertEquals("the hns backend drives the Windows Host Networking Service (computenetwork.dll) and runs only on "
                + "Windows, not on " + System.getProperty("os.name") + "; to preview elsewhere use --backend=hns --dry-run "
                + "--hns-snapshot FILE", e.getMessage());
    }

    @Test
    void anEmptyPathIsRefused() {
        BackendException e = assertThrows(BackendException.class,
                () -> provider.create(options("--dry-run", "--hns-snapshot", "x", "--windows-cni-conf="), NO_PROGRAMS));

        assertEquals("--windows-cni-conf: the path is empty", e.getMessage());
    }

    @Test
    void autoNeverPicksItOffWindows() throws Exception {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        try {
            assertFalse(Backends.installed().select(Backends.AUTO, NO_PROGRAMS).name().equals("hns"));
        } catch (BackendException noBackendSuits) {
            // fine: nothing suits a host without iptables either
        }
    }
}
