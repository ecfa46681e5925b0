package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/ip-masq-agent and the two AOT caches the build makes: one-shot runs start Main from the
 * class path with the one-shot cache, the daemon starts through Quarkus's runner with its own.
 * The JVM's own log (-Xlog:aot) says whether it used a cache, and the agent syncs whether it did
 * or not (cache missing, made by another JVM build, damaged, or a Java 17 that cannot read one).
 */
class LauncherIT {

    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    static Path app() {
        return AgentProcess.agentJar().toAbsolutePath().getParent();
    }

    /** The cache one-shot runs use (every test here but the daemon's runs --sync-once). */
    static Path cache(Path app) {
        return app.resolve("ip-masq-agent-oneshot.aot");
    }

    static Path daemonCache(Path app) {
        return app.resolve("ip-masq-agent.aot");
    }

    /** The java the launcher picks, read from its own debug line (no agent started). */
    static Path launcherJava(List<String> env) {
        List<String> argv = new ArrayList<>(List.of("env", "IPMASQ_LAUNCHER_DEBUG=1", "JAVA_OPTS=-version",
                "IPMASQ_APP=" + app()));
        argv.addAll(env);
        argv.add(AgentProcess.launcher().toAbsolutePath().toString());
        Netns.Result r = Netns.Result.of(argv, "");
        Matcher m = Pattern.compile("(?m)^ip-masq-agent: (\\S+) ").matcher(r.err());
        assertTrue(m.find(), r::toString);
        return Path.of(m.group(1));
    }

    static int major(Path java) {
        try {
            Path release = java.toRealPath().getParent().getParent().resolve("release");
            Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
            assertTrue(m.find(), release::toString);
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Java 17 to run the agent with: the one on PATH or under /usr/lib/jvm. */
    static Path java17() throws IOException {
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            Optional<Path> found = jvms.map(home -> home.resolve("bin/java"))
                    .filter(Files::isExecutable).filter(java -> major(java) == 17).findFirst();
            return found.orElseThrow(() -> new AssertionError("no Java 17 under /usr/lib/jvm"));
        }
    }

    /** A copy of the packaged app (times kept, as an image's COPY keeps them) without its caches. */
    Path appCopy() throws IOException {
        return appCopy(0);
    }

    Path appCopy(int number) throws IOException {
        Path copy = dir.resolve("quarkus-app-" + number);
        try (Stream<Path> files = Files.walk(app())) {
            for (Path from : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(app().relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else if (!from.getFileName().toString().matches("ip-masq-agent.*\\.aot.*")) {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    /**
     * One --sync-once in a fresh namespace with {@code env}; asserts it synced, returns what it
     * printed, with the JVM's AOT log when it has one (Java 17 has no such log tag and would refuse it).
     */
    static String syncOnce(List<String> env) {
        List<String> all = new ArrayList<>(env);
        all.add("IPMASQ_LAUNCHER_DEBUG=1");
        if (major(launcherJava(env)) >= 25) {
            all.add("JAVA_OPTS=-Xlog:aot=info:stdout");
        }
        try (Netns ns = Netns.create("launch")) {
            Netns.Result r = AgentProcess.runOnce(ns, all, "--sync-once", "--config", "/nonexistent/ip-masq-agent");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(ns.ok("iptables-save", "-t", "nat").out().contains("-j IP-MASQ-AGENT"), r::toString);
            return r.out() + r.err();
        }
    }

    @Test
    void usesTheCacheTheBuildMadeWhenTheJvmCanReadIt() {
        Path java = launcherJava(List.of());
        if (major(java) >= 25) {
            assertTrue(Files.isRegularFile(cache(app())), "the build made no AOT cache for " + java);
            String out = syncOnce(List.of());
            assertTrue(out.contains("-XX:AOTCache=" + cache(app())), out);
            assertTrue(out.contains("Opened AOT cache " + cache(app())), out);
            assertTrue(out.contains("Using AOT-linked classes: true"), out);
            assertTrue(out.contains(" org.ipmasq.agent.runtime.Main --sync-once"), out);
        } else {
            // A machine with only Java 17: the build makes no cache and the launcher asks for none.
            assertFalse(Files.exists(cache(app())), "a cache was made although no JVM can use it");
            assertFalse(Files.exists(daemonCache(app())), "a cache was made although no JVM can use it");
            String out = syncOnce(List.of());
            assertFalse(out.contains("AOTCache"), out);
        }
    }

    /** The daemon starts through Quarkus's runner, with the cache trained on a daemon. */
    @Test
    void theDaemonUsesItsOwnCache() throws Exception {
        Path java = launcherJava(List.of());
        List<String> env = major(java) >= 25 ? List.of("IPMASQ_LAUNCHER_DEBUG=1", "JAVA_OPTS=-Xlog:aot=info:stdout")
                : List.of("IPMASQ_LAUNCHER_DEBUG=1");
        try (Netns ns = Netns.create("launchd");
                AgentProcess agent = AgentProcess.start(ns, env, "--config-source=file",
                        "--config", "/nonexistent/ip-masq-agent")) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!agent.log().contains("POSTROUTING jump added") && agent.alive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String log = agent.log();
            assertTrue(log.contains("POSTROUTING jump added"), log);
            assertTrue(log.contains(" -jar " + app().resolve("quarkus-run.jar")), log);
            if (major(java) >= 25) {
                assertTrue(log.contains("Opened AOT cache " + daemonCache(app())), log);
                assertTrue(log.contains("Using AOT-linked classes: true"), log);
            } else {
                assertFalse(log.contains("AOTCache"), log);
            }
        }
    }

    /**
     * Which way the launcher starts the JVM, read from the flags as the agent reads them: Main
     * from the class path for a one-shot run that has its cache, the runner otherwise (without a
     * cache the runner's indexed class loader is the faster one). Java is asked only its
     * -version, so nothing runs.
     */
    @Test
    void oneShotFlagsStartMainFromTheClassPathAndOthersTheRunner() {
        boolean cacheFits = major(launcherJava(List.of())) >= 25;
        Map<List<String>, Boolean> cases = new LinkedHashMap<>();
        cases.put(List.of("--sync-once"), true);
        cases.put(List.of("-sync-once", "--config", "/x"), true);
        cases.put(List.of("--sync-once=true"), true);
        cases.put(List.of("--sync-once", "T", "--config", "/x"), true);
        cases.put(List.of("--dry-run"), true);
        cases.put(List.of("--cleanup"), true);
        cases.put(List.of("-h"), true);
        cases.put(List.of("--help"), true);
        cases.put(List.of(), false);
        cases.put(List.of("--config", "/x", "--resync-interval", "1s"), false);
        cases.put(List.of("--sync-once", "false"), false);
        cases.put(List.of("--sync-once=false", "--dry-run=0"), false);
        cases.forEach((args, oneShot) -> {
            for (String aot : List.of("on", "off")) {
                List<String> argv = new ArrayList<>(List.of("env", "IPMASQ_LAUNCHER_DEBUG=1", "JAVA_OPTS=-version",
                        "IPMASQ_AOT=" + aot, "IPMASQ_APP=" + app(), AgentProcess.launcher().toAbsolutePath().toString()));
                argv.addAll(args);
                Netns.Result r = Netns.Result.of(argv, "");
                assertEquals(0, r.exit(), r::toString);
                boolean direct = oneShot && cacheFits && aot.equals("on");
                String what = args + " with the cache " + aot + ": " + r.err();
                assertEquals(direct, r.err().contains(" -cp ") && r.err().contains(" org.ipmasq.agent.runtime.Main"), what);
                assertEquals(!direct, r.err().contains(" -jar " + app().resolve("quarkus-run.jar")), what);
            }
        });
    }

    /**
     * One-shot runs start from a merged copy of the class path; after a rebuild that made no new
     * copy (an application jar newer than it), the launcher goes through the runner instead, so
     * no run ever uses old code. Java is asked only its -version.
     */
    @Test
    void aMergedJarOlderThanTheApplicationIsNotUsed() throws IOException {
        if (major(launcherJava(List.of())) < 25) {
            assertFalse(Files.exists(app().resolve("ip-masq-agent-oneshot.jar")), "a merged jar without a cache");
            return;
        }
        Path copy = appCopy();
        for (String file : List.of("ip-masq-agent-oneshot.aot", "ip-masq-agent-oneshot.aot.jvm")) {
            Files.copy(app().resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        List<String> argv = List.of("env", "IPMASQ_LAUNCHER_DEBUG=1", "JAVA_OPTS=-version", "IPMASQ_APP=" + copy,
                AgentProcess.launcher().toAbsolutePath().toString(), "--sync-once");
        Netns.Result current = Netns.Result.of(argv, "");
        assertTrue(current.err().contains(" -cp " + copy.resolve("ip-masq-agent-oneshot.jar") + " "), current.err());
        try (Stream<Path> jars = Files.list(copy.resolve("app"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            }
        }
        Netns.Result stale = Netns.Result.of(argv, "");
        assertTrue(stale.err().contains(" -jar " + copy.resolve("quarkus-run.jar")), stale.err());
        assertFalse(stale.err().contains("ip-masq-agent-oneshot"), stale.err());
    }

    /**
     * A one-shot run never boots Quarkus, whose boot installs the log's handlers; its warnings
     * still reach standard error, one line each, and its progress stays out of it.
     */
    @Test
    void aOneShotRunPrintsItsWarnings() throws IOException {
        Path config = dir.resolve("config");
        Files.writeString(config, "nonMasqueradeCIDRs: [10.0.0.0/8]\nnoSuchKey: 1\n");
        try (Netns ns = Netns.create("launchw")) {
            Netns.Result r = AgentProcess.runOnce(ns, "--sync-once", "--config", config.toString());
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.err().contains("ip-masq-agent: WARN: config key \"noSuchKey\" is not known to this agent version"),
                    r::toString);
            assertFalse(r.err().contains("config in effect"), r::toString);
            assertTrue(r.out().contains("POSTROUTING jump added"), r::toString);
        }
    }

    /** A rejected config is the run's outcome: said once, on its last line, not again by the log. */
    @Test
    void aOneShotRunSaysARejectedConfigOnce() throws IOException {
        Path config = dir.resolve("config");
        Files.writeString(config, "nonMasqueradeCIDRs: [10.0.0.0/33]\n");
        try (Netns ns = Netns.create("launchr")) {
            Netns.Result r = AgentProcess.runOnce(ns, "--sync-once", "--config", config.toString());
            assertEquals(1, r.exit(), r::toString);
            assertEquals(1, r.err().split("config rejected", -1).length - 1, r::toString);
            assertTrue(r.err().contains("ip-masq-agent: config rejected: nonMasqueradeCIDRs[0]"), r::toString);
        }
    }

    /**
     * A one-shot run that reads its config from the API (an init container's --sync-once) needs
     * the Kubernetes client's service files, which the merged jar joins from many jars.
     */
    @Test
    void aOneShotRunReadsItsConfigMapFromTheApi() throws Exception {
        try (Netns ns = Netns.create("launcha");
                MockApiServer.Running api = MockApiServer.Running.start(ns, ShutdownIT.API_PORT, ShutdownIT.DOCUMENT)) {
            Netns.Result r = AgentProcess.runOnce(ns, List.of("KUBECONFIG=" + api.kubeconfig(dir), "IPMASQ_LAUNCHER_DEBUG=1"),
                    "--sync-once", "--config-source=api", "--node-name=launcher-test", "--iptables-mode=nft");
            assertEquals(0, r.exit(), r::toString);
            assertEquals(List.of("169.254.0.0/16", "10.0.0.0/8"), ConfigMapKernelIT.returns(ns), r::toString);
            if (major(launcherJava(List.of())) >= 25) {
                assertTrue(r.err().contains(" -cp " + app().resolve("ip-masq-agent-oneshot.jar")), r::toString);
            }
        }
    }

    @Test
    void syncsWithoutACache() throws IOException {
        String out = syncOnce(List.of("IPMASQ_APP=" + appCopy()));
        assertFalse(out.contains("AOTCache"), out);
    }

    /**
     * Each cache alone in a copy of the app: the one-shot cache, and the daemon's, which a one-shot
     * run without its own cache uses through the runner (so a one-shot run tests both).
     */
    List<Path> eachCacheAlone(Path app) {
        return List.of(cache(app), daemonCache(app));
    }

    @Test
    void aCacheFromAnotherJvmBuildIsNotUsed() throws IOException {
        for (int i = 0; i < 2; i++) {
            Path copy = appCopy(i);
            Path cache = eachCacheAlone(copy).get(i);
            Files.copy(app().resolve("quarkus-run.jar"), cache, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(Path.of(cache + ".jvm"), "IMPLEMENTOR=\"elsewhere\" JAVA_RUNTIME_VERSION=\"25.0.0\" ");
            String out = syncOnce(List.of("IPMASQ_APP=" + copy));
            assertFalse(out.contains("AOTCache"), out);
        }
    }

    @Test
    void aDamagedCacheIsRefusedByTheJvmAndTheAgentStillSyncs() throws IOException {
        Path java = launcherJava(List.of());
        String stamp = Files.readAllLines(java.toRealPath().getParent().getParent().resolve("release")).stream()
                .filter(l -> l.startsWith("IMPLEMENTOR=") || l.startsWith("JAVA_RUNTIME_VERSION="))
                .reduce("", (a, b) -> a + b + " ");
        for (int i = 0; i < 2; i++) {
            Path copy = appCopy(i);
            Path cache = eachCacheAlone(copy).get(i);
            // Recorded as made by this very JVM, so the launcher hands it over; its bytes are no cache.
            Files.write(cache, new byte[64 * 1024]);
            Files.writeString(Path.of(cache + ".jvm"), stamp);
            String out = syncOnce(List.of("IPMASQ_APP=" + copy));
            if (major(java) >= 25) {
                assertTrue(out.contains("-XX:AOTCache=" + cache), out);
                assertTrue(out.contains("Unable to map shared spaces"), out);
                assertFalse(out.contains("Using AOT-linked classes: true"), out);
            } else {
                assertFalse(out.contains("AOTCache"), out);
            }
        }
    }

    @Test
    void java17RunsWithoutTheCache() throws IOException {
        Path java17 = java17();
        String out = syncOnce(List.of("IPMASQ_JAVA=" + java17));
        assertTrue(out.contains("ip-masq-agent: " + java17 + " "), out);
        assertFalse(out.contains("AOTCache"), out);
    }

    /**
     * The heap trim is only asked of JVMs that know the option (17.0.9 and later; 21 and later),
     * since an older 17 would refuse to start at all. The launcher decides from the release file,
     * so a JDK home with a stated version and a java that forwards to the real one tells.
     */
    @Test
    void theNativeHeapTrimIsOnlyAskedOfJvmsThatKnowIt() throws IOException {
        Path real = java17();
        for (String version : List.of("17", "17.0.8", "17.0.9", "17.0.15", "21.0.1", "25")) {
            Path home = dir.resolve("jdk-" + version);
            Files.createDirectories(home.resolve("bin"));
            Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
            Path java = home.resolve("bin/java");
            Files.writeString(java, "#!/bin/sh\nexec " + real + " \"$@\"\n");
            java.toFile().setExecutable(true);
            List<String> argv = List.of("env", "IPMASQ_LAUNCHER_DEBUG=1", "JAVA_OPTS=-version", "IPMASQ_APP=" + app(),
                    "IPMASQ_JAVA=" + java, AgentProcess.launcher().toAbsolutePath().toString());
            Netns.Result r = Netns.Result.of(argv, "");
            assertEquals(0, r.exit(), r::toString);
            boolean asked = r.err().contains("-XX:TrimNativeHeapInterval=");
            boolean knows = !version.equals("17") && !version.equals("17.0.8");
            assertEquals(knows, asked, version + ": " + r.err());
        }
    }
}
