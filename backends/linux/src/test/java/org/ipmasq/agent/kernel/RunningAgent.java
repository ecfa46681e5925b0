package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A namespace with the long-running agent in it, driven through its config file and observed
 * through iptables-save (or nft) and /q/health, as an operator would.
 */
final class RunningAgent implements AutoCloseable {

    static final int PORT = 9742;

    final Netns ns;
    final Path config;
    final AgentProcess process;
    /** False when the namespace belongs to the caller (loaded once per test class): close leaves it. */
    private final boolean ownsNamespace;

    private RunningAgent(Netns ns, Path config, AgentProcess process, boolean ownsNamespace) {
        this.ns = ns;
        this.config = config;
        this.process = process;
        this.ownsNamespace = ownsNamespace;
    }

    /** Starts with {@code document} as config; {@code env} may prepend a wrapper folder to PATH. */
    static RunningAgent start(String role, Path dir, String document, List<String> env, String... flags)
            throws Exception {
        return start(Netns.create(role), true, dir, document, env, flags);
    }

    /** Starts in {@code ns}, which the caller made (say, loaded with kube-proxy's rules) and deletes. */
    static RunningAgent startIn(Netns ns, Path dir, String document, List<String> env, String... flags)
            throws Exception {
        return start(ns, false, dir, document, env, flags);
    }

    private static RunningAgent start(Netns ns, boolean ownsNamespace, Path dir, String document, List<String> env,
            String... flags) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, document);
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(flags));
        RunningAgent agent = new RunningAgent(ns, config, AgentProcess.start(ns, env, args.toArray(String[]::new)),
                ownsNamespace);
        try {
            DaemonIT.await("agent ready", Duration.ofSeconds(30), () -> {
                Http.Response r = agent.health("ready");
                return r != null && r.status() == 200;
            });
            return agent;
        } catch (Throwable notReady) {
            // The caller never gets the agent to close: do it here, or the namespace outlives the test.
            agent.close();
            throw notReady;
        }
    }

    Http.Response health(String which) {
        return Http.get(ns, PORT, "/q/health/" + which);
    }

    /**
     * A health data field as printed in the JSON body of /q/health, e.g. "passes": 12. Each
     * field is carried by one check only (liveness: the loop; readiness: the node and config).
     */
    String healthField(String field) {
        Http.Response r = Http.get(ns, PORT, "/q/health");
        if (r == null) {
            return null;
        }
        int at = r.body().indexOf("\"" + field + "\"");
        if (at < 0) {
            return null;
        }
        int colon = r.body().indexOf(':', at);
        int end = r.body().indexOf('\n', colon);
        String value = r.body().substring(colon + 1, end < 0 ? r.body().length() : end).trim();
        if (value.endsWith(",")) {
            value = value.substring(0, value.length() - 1);
        }
        return value.startsWith("\"") ? value.substring(1, value.length() - 1).replace("\\\"", "\"") : value;
    }

    /**
     * Drift repairs the agent has counted (sum over kinds of ip_masq_agent_drift_repairs_total):
     * proof that a breakage was seen and undone even when the repair beats the test's own look.
     */
    double driftRepairs() {
        Http.Response r = Http.get(ns, PORT, "/q/metrics");
        if (r == null) {
            return -1;
        }
        return r.body().lines().filter(l -> l.startsWith("ip_masq_agent_drift_repairs_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    long attempts() {
        return Long.parseLong(healthField("passes"));
    }

    void write(String document) throws IOException {
        Files.writeString(config, document);
    }

    /** The nat table without comment lines and counters, for byte-for-byte comparisons. */
    String natTable(String save) {
        return ns.ok(save, "-t", "nat").out().replaceAll("(?m)^#.*\n", "").replaceAll("\\[\\d+:\\d+\\]", "[0:0]");
    }

    String natTable() {
        return natTable("iptables-save");
    }

    /** Everything nf_tables holds in the namespace, as {@code nft list ruleset} prints it. */
    String ruleset() {
        return ns.ok("nft", "list", "ruleset").out();
    }

    void restore(String payload) {
        Netns.Result r = ns.execWithInput(payload, "iptables-restore", "--noflush");
        assertEquals(0, r.exit(), r::toString);
    }

    @Override
    public void close() throws Exception {
        try {
            process.close();
        } finally {
            if (ownsNamespace) {
                ns.close();
            }
        }
    }
}
