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

/**
 * The packaged agent (target/quarkus-app) started through scripts/ip-masq-agent as its own process
 * in a namespace.
 */
final class AgentProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path agentJar() {
        return Path.of(System.getProperty("agent.jar", "target/quarkus-app/quarkus-run.jar"));
    }

    /** scripts/ip-masq-agent: the one launcher every way of running the agent goes through. */
    static Path launcher() {
        return Path.of(System.getProperty("agent.launcher", "scripts/ip-masq-agent"));
    }

    /**
     * Which build of the agent the launcher starts: {@code jvm} (the default, what CI has) or
     * {@code native} (scripts/native-check.sh runs the kernel tests again with
     * {@code -Dagent.runtime=native}), passed on as IPMASQ_RUNTIME.
     */
    static String runtime() {
        return System.getProperty("agent.runtime", "jvm");
    }

    /**
     * The launcher in the namespace, as the container image starts it: JVM and JVM options are the
     * launcher's choice; {@code env} may add JAVA_OPTS, IPMASQ_JAVA or IPMASQ_AOT, as an operator would.
     */
    static List<String> command(Netns ns, List<String> env, String... args) {
        // No cluster credentials reach the agent under test, even on a developer's machine with a
        // kubeconfig: a test must never read from, or post Events to, a real cluster. Nor do the
        // developer's own launcher settings.
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.name, "env", "-u", "KUBECONFIG",
                "-u", "KUBERNETES_SERVICE_HOST", "-u", "JAVA_OPTS", "-u", "IPMASQ_JAVA", "-u", "IPMASQ_AOT",
                "-u", "IPMASQ_ONESHOT_TRAINING",
                "HOME=/nonexistent", "IPMASQ_APP=" + agentJar().toAbsolutePath().getParent(),
                "IPMASQ_RUNTIME=" + runtime()));
        argv.addAll(env);
        argv.add(launcher().toAbsolutePath().toString());
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * As {@link #command}, the way a pod runs the agent: the service account's volume ({@code
     * serviceAccount}, in the kubelet's layout) at /var/run/secrets/kubernetes.io/serviceaccount and
     * the API's address in KUBERNETES_SERVICE_HOST and _PORT. The path is made in a mount namespace
     * of the agent's own, over a fresh /run, so the host's files are never touched.
     */
    static List<String> inClusterCommand(Netns ns, Path serviceAccount, int apiPort, List<String> env, String... args) {
        List<String> argv = command(ns, env, args);
        int envAt = argv.indexOf("env");
        List<String> withMounts = new ArrayList<>(argv.subList(0, envAt));
        withMounts.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o mode=755 in-cluster /run && mkdir -p /run/secrets/kubernetes.io"
                        + " && ln -s \"$0\" /run/secrets/kubernetes.io/serviceaccount && exec \"$@\"",
                serviceAccount.toAbsolutePath().toString()));
        withMounts.addAll(argv.subList(envAt, argv.indexOf(launcher().toAbsolutePath().toString())));
        withMounts.addAll(List.of("KUBERNETES_SERVICE_HOST=127.0.0.1", "KUBERNETES_SERVICE_PORT=" + apiPort));
        withMounts.addAll(argv.subList(argv.indexOf(launcher().toAbsolutePath().toString()), argv.size()));
        return withMounts;
    }

    /** Starts the long-running agent as a pod runs it (see {@link #inClusterCommand}). */
    static AgentProcess startInCluster(Netns ns, Path serviceAccount, int apiPort, List<String> env, String... args)
            throws IOException {
        return launch(inClusterCommand(ns, serviceAccount, apiPort, env, args));
    }

    /** Runs a one-shot agent (--sync-once, --dry-run, --cleanup) to completion. */
    static Netns.Result runOnce(Netns ns, String... args) {
        return runOnce(ns, List.of(), args);
    }

    /** As {@link #runOnce(Netns, String...)}, with launcher settings ({@code NAME=value}) in {@code env}. */
    static Netns.Result runOnce(Netns ns, List<String> env, String... args) {
        return Netns.Result.of(command(ns, env, args), "");
    }

    /** Starts the long-running agent; its output goes to a log file read by {@link #log()}. */
    static AgentProcess start(Netns ns, List<String> env, String... args) throws IOException {
        return launch(command(ns, env, args));
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

    /** The command line of the JVM the launcher started (the process tree's java, by its argv). */
    String javaCommandLine() {
        return ProcessHandle.of(process.pid()).stream().flatMap(p -> java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(p), p.descendants()))
                .map(p -> String.join(" ", p.info().arguments().orElse(new String[0])))
                .filter(args -> args.contains("quarkus-run.jar"))
                .findFirst().orElse("");
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
