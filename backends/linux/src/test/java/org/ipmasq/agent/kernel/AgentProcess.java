package org.ipmasq.agent.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged agent (target/quarkus-app/quarkus-run.jar) started as its own process in a namespace. */
final class AgentProcess implements AutoCloseable {

    /** JVM options the README recommends for a node agent. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx48m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-Xss256k", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=24m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+ExitOnOutOfMemoryError");

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path agentJar() {
        return Path.of(System.getProperty("agent.jar", "target/quarkus-app/quarkus-run.jar"));
    }

    static List<String> command(Netns ns, List<String> env, String... args) {
        return command(ns, env, JVM_OPTIONS, args);
    }

    static List<String> command(Netns ns, List<String> env, List<String> jvmOptions, String... args) {
        // No cluster credentials reach the agent under test, even on a developer's machine with a
        // kubeconfig: a test must never read from, or post Events to, a real cluster.
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.name, "env", "-u", "KUBECONFIG",
                "-u", "KUBERNETES_SERVICE_HOST", "HOME=/nonexistent"));
        argv.addAll(env);
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.add("-jar");
        argv.add(agentJar().toString());
        argv.addAll(List.of(args));
        return argv;
    }

    /** Runs a one-shot agent (--sync-once, --dry-run, --cleanup) to completion. */
    static Netns.Result runOnce(Netns ns, String... args) {
        return Netns.Result.of(command(ns, List.of(), args), "");
    }

    /** Starts the long-running agent; its output goes to a log file read by {@link #log()}. */
    static AgentProcess start(Netns ns, List<String> env, String... args) throws IOException {
        return launch(command(ns, env, args));
    }

    /** As the container image starts it: {@code java -jar}, JVM options only from the environment. */
    static AgentProcess startPlain(Netns ns, List<String> env, String... args) throws IOException {
        return launch(command(ns, env, List.of(), args));
    }

    private static AgentProcess launch(List<String> command) throws IOException {
        Path log = Files.createTempFile("ip-masq-agent-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcess(p, log);
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGTERM and waits for the exit code. */
    int stop(Duration wait) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM to the agent alone, as a container runtime signals PID 1 only (its children,
     * an iptables-restore in progress, are not signalled), and waits for the exit code.
     */
    int terminate(Duration wait) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }

    static File configFile(Path dir, String text) throws IOException {
        Path file = dir.resolve("config");
        Files.writeString(file, text);
        return file.toFile();
    }
}
