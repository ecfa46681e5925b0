package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGTERM ends the packaged agent with exit status 0 within one second, its rules left in place,
 * in every state a rollout or a node drain may find it in: following the API, cut off from the
 * API while its watch reconnects, still waiting for the API's first answer, in the middle of a
 * pass, and between the retries of a failing sync (which once took 10 s: the sync loop waited for
 * its pending retry). The API is a mock server running as its own process inside the test
 * namespace, so the agent reaches it on 127.0.0.1 and the host's network is never touched.
 */
class ShutdownIT {

    /** The bound: every node of a rolling update waits this long at most. */
    static final Duration PROMPT = Duration.ofSeconds(1);
    static final int API_PORT = 6443;
    static final String DOCUMENT = "resyncInterval: 1s\nnonMasqueradeCIDRs: [10.0.0.0/8]\n";

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    /** The agent's rules, without counters: what must survive the agent's exit. */
    static List<String> rules(Netns ns) {
        return ns.ok("iptables-save", "-t", "nat").out().lines().filter(l -> l.startsWith("-A ")).toList();
    }

    static List<String> returns(Netns ns) {
        return ConfigMapKernelIT.returns(ns);
    }

    /** Sends SIGTERM and holds the agent to exit status 0 within {@link #PROMPT}. */
    static void stopsPromptly(AgentProcess agent, String state) throws Exception {
        long start = System.nanoTime();
        int exit = agent.terminate(Duration.ofSeconds(15));
        long millis = (System.nanoTime() - start) / 1_000_000;
        String log = agent.log();
        System.out.printf("SIGTERM %s: exit %d after %d ms%n", state, exit, millis);
        assertEquals(0, exit, () -> "exit status after SIGTERM " + state + "\n" + log);
        assertTrue(millis <= PROMPT.toMillis(), () -> "SIGTERM " + state + " took " + millis + " ms\n" + log);
    }

    private AgentProcess startWithApi(Netns ns, MockApiServer.Running api, List<String> env, String... flags)
            throws Exception {
        List<String> all = new java.util.ArrayList<>(env);
        all.add("KUBECONFIG=" + api.kubeconfig(dir));
        List<String> args = new java.util.ArrayList<>(List.of("--config-source=api", "--node-name=shutdown-test",
                "--iptables-mode=nft"));
        args.addAll(List.of(flags));
        return AgentProcess.start(ns, all, args.toArray(String[]::new));
    }

    private static void awaitRulesFromTheConfigMap(Netns ns) throws Exception {
        DaemonIT.await("the ConfigMap's rules in the kernel", Duration.ofSeconds(60),
                () -> returns(ns).equals(List.of("169.254.0.0/16", "10.0.0.0/8")));
        DaemonIT.await("ready", Duration.ofSeconds(10), () -> {
            Http.Response r = Http.get(ns, DaemonIT.PORT, "/q/health/ready");
            return r != null && r.status() == 200;
        });
    }

    private static String configSource(Netns ns) {
        Http.Response r = Http.get(ns, DaemonIT.PORT, "/q/health/ready");
        return r == null ? "" : r.body();
    }

    /** How the agent reaches the API, and how the server streams the watch. */
    enum ApiAccess {
        IN_CLUSTER_WEBSOCKET(true, true),
        IN_CLUSTER_HTTP_STREAM(true, false),
        KUBECONFIG_WEBSOCKET(false, true),
        KUBECONFIG_HTTP_STREAM(false, false);

        final boolean inCluster;
        final boolean webSocket;

        ApiAccess(boolean inCluster, boolean webSocket) {
            this.inCluster = inCluster;
            this.webSocket = webSocket;
        }

        /** In-cluster is always TLS (the service account's CA), as in a pod; the kubeconfig runs are plain HTTP. */
        FakeApiServer.Options server() {
            FakeApiServer.Options options = FakeApiServer.Options.plain().withToken("token-1");
            options = inCluster ? options.withTls() : options;
            return webSocket ? options : options.withoutWebSocket();
        }

        String transport() {
            return webSocket ? "websocket" : "http";
        }
    }

    /** How long the agent follows a held-open watch before the signal: the "at least 30 s". */
    static final Duration FOLLOWING = Duration.ofSeconds(30);

    /** The agent as a pod runs it (in-cluster) or with a kubeconfig, against {@code api}. */
    static AgentProcess startAgainst(Netns ns, FakeApiServer.Running api, ApiAccess access, Path dir, List<String> env)
            throws Exception {
        String[] args = {"--config-source=api", "--node-name=shutdown-test", "--iptables-mode=nft"};
        if (access.inCluster) {
            ServiceAccountVolume volume = ServiceAccountVolume.create(dir.resolve("serviceaccount"), api.ca.orElseThrow(),
                    api.options.token());
            return AgentProcess.startInCluster(ns, volume.path(), api.port, env, args);
        }
        List<String> all = new java.util.ArrayList<>(env);
        all.add("KUBECONFIG=" + api.kubeconfig(dir, api.options.token()));
        return AgentProcess.start(ns, all, args);
    }

    /**
     * The server holds the watch open, as kube-apiserver does until its own timeout (30-60 min):
     * SIGTERM after {@link #FOLLOWING} of it must still end the agent within {@link #PROMPT}, with
     * nothing in the log about a shutdown that timed out.
     */
    @ParameterizedTest
    @EnumSource(ApiAccess.class)
    void followingAWatchTheServerHoldsOpen(ApiAccess access) throws Exception {
        try (Netns ns = Netns.create("stop-held");
                FakeApiServer.Running api = FakeApiServer.Running.start(ns, dir, API_PORT, access.server())) {
            api.put("ip-masq-agent", DOCUMENT);
            try (AgentProcess agent = startAgainst(ns, api, access, dir, List.of())) {
                awaitRulesFromTheConfigMap(ns);
                long following = System.nanoTime();
                api.put("ip-masq-agent", "resyncInterval: 1s\nnonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12]\n");
                DaemonIT.await("the edit in the kernel", Duration.ofSeconds(10),
                        () -> returns(ns).equals(List.of("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12")));
                Thread.sleep(Math.max(0, FOLLOWING.toMillis() - (System.nanoTime() - following) / 1_000_000));
                List<String> watches = api.lines().stream().filter(l -> l.startsWith("watch ")).toList();
                assertTrue(watches.stream().anyMatch(l -> l.contains(" started " + access.transport() + " ")),
                        () -> "no " + access.transport() + " watch:\n" + String.join("\n", api.lines()));
                assertTrue(watches.stream().noneMatch(l -> l.contains(" ended ") || l.contains(" timed out")),
                        () -> "the watch was not held open all along:\n" + String.join("\n", watches));
                List<String> before = rules(ns);
                stopsPromptly(agent, "following a held-open " + access);
                assertEquals(before, rules(ns), "rules stay in place");
                String log = agent.log();
                assertFalse(log.contains("timed out"), log);
            }
        }
    }

    /**
     * The kubelet rotates the projected token (a new ..data) and the server refuses the old one
     * from then on: the agent's next request (its re-watch after the server ends the watch, as its
     * timeout would) must carry the new token, so the next edit still reaches the kernel.
     */
    @Test
    void aRotatedServiceAccountTokenKeepsTheAgentFollowing() throws Exception {
        ApiAccess access = ApiAccess.IN_CLUSTER_WEBSOCKET;
        try (Netns ns = Netns.create("token-rot");
                FakeApiServer.Running api = FakeApiServer.Running.start(ns, dir, API_PORT, access.server())) {
            api.put("ip-masq-agent", DOCUMENT);
            ServiceAccountVolume volume = ServiceAccountVolume.create(dir.resolve("serviceaccount"), api.ca.orElseThrow(),
                    "token-1");
            try (AgentProcess agent = AgentProcess.startInCluster(ns, volume.path(), api.port, List.of(),
                    "--config-source=api", "--node-name=token-test", "--iptables-mode=nft")) {
                awaitRulesFromTheConfigMap(ns);
                volume.rotate("token-2");
                api.acceptTokens("token-2");
                api.endWatches();
                api.put("ip-masq-agent", "resyncInterval: 1s\nnonMasqueradeCIDRs: [10.0.0.0/8, 100.64.0.0/10]\n");
                DaemonIT.await("the edit after the rotation in the kernel", Duration.ofSeconds(60),
                        () -> returns(ns).equals(List.of("169.254.0.0/16", "10.0.0.0/8", "100.64.0.0/10")));
                List<String> served = api.lines();
                List<String> sinceTheRotation = served.subList(served.indexOf("done end-watches"), served.size());
                assertTrue(sinceTheRotation.stream().anyMatch(l -> l.startsWith("request ") && !l.endsWith("unauthorized")),
                        () -> "no request with the new token:\n" + String.join("\n", served));
                assertTrue(agent.alive(), "the agent keeps running");
            }
        }
    }

    @Test
    void followingTheApi() throws Exception {
        try (Netns ns = Netns.create("stop-api");
                MockApiServer.Running api = MockApiServer.Running.start(ns, API_PORT, DOCUMENT);
                AgentProcess agent = startWithApi(ns, api, List.of())) {
            awaitRulesFromTheConfigMap(ns);
            // Past the first watch: a few resyncs with the watch open.
            long passes = passes(ns);
            DaemonIT.await("two more passes", Duration.ofSeconds(10), () -> passes(ns) >= passes + 2);
            assertTrue(configSource(ns).contains("\"api:kube-system/ip-masq-agent#config\""), configSource(ns));
            List<String> before = rules(ns);
            stopsPromptly(agent, "while following the API");
            assertEquals(before, rules(ns), "rules stay in place");
        }
    }

    @Test
    void duringAnApiOutageWhileTheWatchReconnects() throws Exception {
        try (Netns ns = Netns.create("stop-outage");
                MockApiServer.Running api = MockApiServer.Running.start(ns, API_PORT, DOCUMENT);
                AgentProcess agent = startWithApi(ns, api, List.of())) {
            awaitRulesFromTheConfigMap(ns);
            api.close();
            DaemonIT.await("the agent sees the API gone (stale source)", Duration.ofSeconds(20),
                    () -> configSource(ns).contains("stale since"));
            List<String> before = rules(ns);
            assertEquals(List.of("169.254.0.0/16", "10.0.0.0/8"), returns(ns), "the last ConfigMap is still enforced");
            stopsPromptly(agent, "during an API outage");
            assertEquals(before, rules(ns), "rules stay in place");
        }
    }

    @Test
    void whileWaitingForTheApisFirstAnswer() throws Exception {
        try (Netns ns = Netns.create("stop-noapi")) {
            // Nothing listens on the API port: the agent waits up to 5 s for a first answer.
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: none\n  cluster:\n"
                    + "    server: http://127.0.0.1:" + API_PORT + "\ncontexts:\n- name: none\n  context: {cluster: none,"
                    + " user: none}\ncurrent-context: none\nusers:\n- name: none\n  user: {token: test}\n");
            try (AgentProcess agent = AgentProcess.start(ns, List.of("KUBECONFIG=" + kubeconfig),
                    "--config-source=api", "--node-name=shutdown-test", "--iptables-mode=nft")) {
                DaemonIT.await("the agent waiting for the API's first answer", Duration.ofSeconds(60),
                        () -> logContains(agent, "for the API's first answer"));
                assertTrue(!agent.log().contains("did not answer"), "already past the wait; the test proves nothing");
                stopsPromptly(agent, "while waiting for the API's first answer");
                assertEquals(List.of(), rules(ns), "nothing written: no config was ever read");
            }
        }
    }

    @Test
    void inTheMiddleOfAPass() throws Exception {
        Path started = dir.resolve("restore-started");
        Path slow = dir.resolve("slow");
        Path bin = ReconcileIT.wrapperIn(dir, "iptables-nft-restore", "[ -e " + slow + " ] && { touch " + started
                + "; sleep 20; }\nexec /usr/sbin/iptables-nft-restore \"$@\"");
        try (Netns ns = Netns.create("stop-pass");
                MockApiServer.Running api = MockApiServer.Running.start(ns, API_PORT, DOCUMENT);
                AgentProcess agent = startWithApi(ns, api, ReconcileIT.pathWith(bin))) {
            awaitRulesFromTheConfigMap(ns);
            List<String> before = rules(ns);
            Files.writeString(slow, "");
            ns.ok("iptables-nft", "-t", "nat", "-F", "IP-MASQ-AGENT"); // drift: the next pass must write
            DaemonIT.await("a restore under way", Duration.ofSeconds(10), () -> Files.exists(started));
            stopsPromptly(agent, "in the middle of a pass");
            // The interrupted restore never committed: the kernel holds what it held when it began.
            List<String> after = rules(ns);
            assertEquals(before.stream().filter(l -> !l.startsWith("-A IP-MASQ-AGENT ")).toList(), after,
                    "only the flushed chain differs");
        }
    }

    @Test
    void betweenTheRetriesOfAFailingSync() throws Exception {
        Path broken = dir.resolve("broken");
        Path bin = ReconcileIT.wrapperIn(dir, "iptables-nft-restore", "[ -e " + broken + " ] && { echo 'iptables-restore:"
                + " simulated failure' >&2; exit 1; }\nexec /usr/sbin/iptables-nft-restore \"$@\"");
        try (Netns ns = Netns.create("stop-retry");
                MockApiServer.Running api = MockApiServer.Running.start(ns, API_PORT, DOCUMENT);
                AgentProcess agent = startWithApi(ns, api, ReconcileIT.pathWith(bin))) {
            awaitRulesFromTheConfigMap(ns);
            Files.writeString(broken, "");
            ns.ok("iptables-nft", "-t", "nat", "-F", "IP-MASQ-AGENT");
            List<String> broke = rules(ns);
            // Three failures: retries are now 2 s apart and one is always pending.
            DaemonIT.await("three failed passes", Duration.ofSeconds(20), () -> failures(ns) >= 3);
            stopsPromptly(agent, "between retries of a failing sync");
            assertEquals(broke, rules(ns), "rules stay as they were");
        }
    }

    private static boolean logContains(AgentProcess agent, String text) {
        try {
            return agent.log().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long passes(Netns ns) {
        return number(ns, "/q/health/live", "\"passes\"");
    }

    private static long failures(Netns ns) {
        Http.Response r = Http.get(ns, DaemonIT.PORT, "/q/metrics");
        if (r == null) {
            return -1;
        }
        return r.body().lines().filter(l -> l.startsWith("ip_masq_agent_syncs_total{result=\"failed\"}"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long number(Netns ns, String path, String key) {
        Http.Response r = Http.get(ns, DaemonIT.PORT, path);
        if (r == null || !r.body().contains(key)) {
            return -1;
        }
        String rest = r.body().substring(r.body().indexOf(key) + key.length());
        return Long.parseLong(rest.replaceFirst("^\\s*:\\s*", "").split("[,\\s}]")[0]);
    }
}
