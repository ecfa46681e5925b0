package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent started as a pod starts it (service account, TLS, KUBERNETES_SERVICE_HOST)
 * against an API server that holds its watches open: the first pass runs before Quarkus boots, on
 * the ConfigMap read with one GET, and the informers take over from it. Kernel rules and the
 * server's request log are the evidence, not the agent's word alone.
 */
class InClusterStartIT {

    static final String DOCUMENT = "resyncInterval: 60s\nnonMasqueradeCIDRs: [10.0.0.0/8]\n";
    static final String CONFIGMAP_GET = "request GET /api/v1/namespaces/kube-system/configmaps/ip-masq-agent";
    static final String READ_AHEAD = "first pass ran before Quarkus booted, on the ConfigMaps as read then";

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    /** The API as a cluster serves it to pods: TLS, accepting only {@code token}. */
    private FakeApiServer.Running tlsApi(Netns ns, String token) throws Exception {
        return FakeApiServer.Running.start(ns, dir, ShutdownIT.API_PORT, FakeApiServer.Options.plain().withTls().withToken(token));
    }

    private AgentProcess start(Netns ns, FakeApiServer.Running api, String token) throws Exception {
        ServiceAccountVolume volume = ServiceAccountVolume.create(dir.resolve("serviceaccount"), api.ca.orElseThrow(), token);
        return AgentProcess.startInCluster(ns, volume.path(), api.port, List.of(), "--config-source=api",
                "--node-name=start-test", "--iptables-mode=nft");
    }

    private static String logOf(AgentProcess agent) {
        try {
            return agent.log();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Index of the first log line containing {@code text}, or -1. */
    private static int lineOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theFirstPassRunsBeforeTheBootAndTheWatchTakesOver() throws Exception {
        try (Netns ns = Netns.create("early-api"); FakeApiServer.Running api = tlsApi(ns, "token-1")) {
            api.put("ip-masq-agent", DOCUMENT);
            try (AgentProcess agent = start(ns, api, "token-1")) {
                DaemonIT.await("the ConfigMap's rules in the kernel", Duration.ofSeconds(60),
                        () -> ShutdownIT.returns(ns).equals(List.of("169.254.0.0/16", "10.0.0.0/8")));
                DaemonIT.await("the watch open", Duration.ofSeconds(30),
                        () -> api.lines().stream().anyMatch(l -> l.startsWith("watch ") && l.contains(" started ")));
                List<String> log = agent.log().lines().toList();
                // The rules went in before Quarkus said it had started, and the daemon says why.
                int written = lineOf(log, "POSTROUTING jump added");
                int booted = lineOf(log, "started in");
                assertTrue(written >= 0 && booted > written && lineOf(log, READ_AHEAD) > booted,
                        () -> "the pass before the boot:\n" + String.join("\n", log));
                List<String> served = api.lines().stream().filter(l -> l.startsWith("request ")).toList();
                assertEquals(CONFIGMAP_GET, served.get(0), () -> "the first request is the direct read:\n" + served);

                api.put("ip-masq-agent", "resyncInterval: 60s\nnonMasqueradeCIDRs: [10.0.0.0/8, 192.168.0.0/16]\n");
                DaemonIT.await("an edit through the watch", Duration.ofSeconds(10),
                        () -> ShutdownIT.returns(ns).equals(List.of("169.254.0.0/16", "10.0.0.0/8", "192.168.0.0/16")));
            }
        }
    }

    /** A rejected document is rejected before the boot too: nothing written, and the daemon still posts its Event. */
    @Test
    void aRejectedDocumentWritesNothingBeforeTheBootEither() throws Exception {
        try (Netns ns = Netns.create("early-bad"); FakeApiServer.Running api = tlsApi(ns, "token-1")) {
            api.put("ip-masq-agent", "nonMasqueradeCIDRs: [10.0.0.1/8]\n");
            try (AgentProcess agent = start(ns, api, "token-1")) {
                DaemonIT.await("the InvalidConfig Event", Duration.ofSeconds(60),
                        () -> api.lines().stream().anyMatch(l -> l.startsWith("request POST /api/v1/namespaces/kube-system/events")));
                String log = agent.log();
                assertTrue(log.contains(READ_AHEAD) && log.contains("config rejected"), log);
                assertEquals(List.of(), ShutdownIT.rules(ns), "no rule from a rejected document");
            }
        }
    }

    /** A token the server refuses: no pass before the boot, the reason logged, and the client's own wait as before. */
    @Test
    void aRefusedReadLeavesTheFirstPassToTheClient() throws Exception {
        try (Netns ns = Netns.create("early-401"); FakeApiServer.Running api = tlsApi(ns, "token-2")) {
            api.put("ip-masq-agent", DOCUMENT);
            try (AgentProcess agent = start(ns, api, "token-1")) {
                DaemonIT.await("the reason in the log", Duration.ofSeconds(60),
                        () -> logOf(agent).contains("no pass before the boot: reading the ConfigMaps directly failed"));
                String log = agent.log();
                assertTrue(log.contains("HTTP 401"), log);
                assertEquals(List.of(), ShutdownIT.rules(ns), "nothing written without an answer");
                assertTrue(agent.alive(), "the agent waits for the API");
            }
        }
    }
}
