package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off Windows, the agent never loads JNA or the binding, not even with --backend=hns: the whole
 * dry-run path runs in a class loader of its own (parent: the platform loader, so it defines
 * every class of the application itself), and afterwards that loader is asked which classes it
 * loaded. A control test shows the question can answer yes.
 */
class NativeNeverLoadedTest {

    static final List<String> NEVER = List.of("com.sun.jna.Native", "com.sun.jna.Library",
            "com.sun.jna.platform.win32.Ole32", ComputeNetworkLibrary.class.getName(), NativeHcn.class.getName(),
            ComputeNetworkApi.class.getName(), LazyHcn.class.getName());

    /** A loader that can say which classes it has loaded. */
    static final class IsolatedLoader extends URLClassLoader {
        IsolatedLoader() throws IOException {
            super("isolated", classpath(), ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    @TempDir
    Path dir;

    @Test
    void theDryRunPathOnASnapshotNeverLoadsJnaOrTheBinding() throws Exception {
        assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        Path snapshot = Files.writeString(dir.resolve("snapshot.json"), "[" + TestFiles.read("hns/win-bridge.json") + "]");
        Path config = Files.writeString(dir.resolve("config"), "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        Path cni = Files.copy(TestFiles.path("cni/seed/before.conf"), dir.resolve("10-cbr0.conf"));

        try (IsolatedLoader loader = new IsolatedLoader()) {
            String plan = runIn(loader, "--backend=hns", "--dry-run", "--hns-snapshot", snapshot.toString(),
                    "--config", config.toString(), "--windows-cni-conf", cni.toString());

            assertEquals(2, plan.lines().count(), plan);
            assertTrue(loader.loaded(HnsBackend.class.getName()), "control: the backend ran in this loader");
            assertTrue(loader.loaded(SnapshotHcn.class.getName()), "control: the snapshot ran in this loader");
            for (String name : NEVER) {
                assertFalse(loader.loaded(name), name + " was loaded");
            }
        }
    }

    @Test
    void controlTheLoaderDoesSeeAClassOnceLoaded() throws Exception {
        try (IsolatedLoader loader = new IsolatedLoader()) {
            assertFalse(loader.loaded("com.sun.jna.Native"));
            Class.forName("com.sun.jna.Native", false, loader);
            assertTrue(loader.loaded("com.sun.jna.Native"));
        }
    }

    private static String runIn(ClassLoader loader, String... args) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader); // ServiceLoader looks for providers here
        try {
            Class<?> driver = Class.forName(DryRunDriver.class.getName(), true, loader);
            return (String) driver.getMethod("run", String[].class).invoke(null, (Object) args);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The test class path; Surefire may pass it as a manifest-only jar, whose Class-Path URLClassLoader follows. */
    private static URL[] classpath() throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
