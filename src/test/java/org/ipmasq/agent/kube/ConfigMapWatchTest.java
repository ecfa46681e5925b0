package org.ipmasq.agent.kube;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ipmasq.agent.cli.AgentOptions;
import org.ipmasq.agent.backend.iptables.FakeIptables;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.core.SyncLoop;
import org.ipmasq.agent.runtime.AgentAssembly;
import org.ipmasq.agent.runtime.AgentStateAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ConfigMap watch against the Kubernetes mock server (CRUD mode): every change reaches the
 * rules through the real renderer and backend, applied to a fake nat table that models state.
 */
@QuarkusTest
@WithKubernetesTestServer
class ConfigMapWatchTest {

    static final String NS = "kube-system";
    static final String NAME = "ip-masq-agent";

    @Inject
    KubernetesClient client;

    @Inject
    AgentStateAccess state;

    private final FakeIptables fake = FakeIptables.nftOnly();
    private AgentAssembly agent;

    @BeforeEach
    void start() throws Exception {
        client.configMaps().inNamespace(NS).withName(NAME).delete();
        client.v1().events().inNamespace(NS).delete();
        AgentOptions options = ArgsParser.parse("--config-source=api", "--config=/nonexistent", "--node-name=node-a",
                "--iptables-mode=nft");
        agent = AgentAssembly.build(options, fake, () -> client, Clock.systemUTC(), outcome -> { });
        state.publish(agent.status());
        agent.trigger();
        await("defaults applied while the ConfigMap is absent", () -> returns().size() == 4);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not within 10 s: " + what);
    }

    /** Destinations of the RETURN rules in the chain, in order. */
    List<String> returns() {
        return fake.snapshot("iptables-nft", "IP-MASQ-AGENT").stream().filter(r -> r.endsWith("-j RETURN"))
                .map(r -> FakeIptables.optionValue(r, "-d")).toList();
    }

    private ConfigMap configMap(String document) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                .addToData("config", document).build();
    }

    private void put(String document) {
        client.configMaps().inNamespace(NS).resource(configMap(document)).createOr(c -> c.update());
    }

    @Test
    void createUpdateInvalidUpdateAndDelete() throws Exception {
        put("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        await("created", () -> returns().equals(List.of("169.254.0.0/16", "10.0.0.0/8")));

        put("nonMasqueradeCIDRs: [10.0.0.0/8, 100.64.0.0/10]\n");
        await("updated", () -> returns().equals(List.of("169.254.0.0/16", "10.0.0.0/8", "100.64.0.0/10")));
        List<String> good = fake.snapshot("iptables-nft", "IP-MASQ-AGENT");
        int restoresBefore = fake.restores.size();

        put("nonMasqueradeCIDRs: [10.0.0.1/8]\n");
        await("an InvalidConfig Event", () -> !events().isEmpty());
        Event event = events().get(0);
        assertEquals("Warning", event.getType());
        assertEquals("node-a", event.getSource().getHost());
        assertEquals(NAME, event.getInvolvedObject().getName());
        assertTrue(event.getMessage().contains("did you mean \"10.0.0.0/8\""), event.getMessage());
        assertEquals(good, fake.snapshot("iptables-nft", "IP-MASQ-AGENT"));
        assertEquals(restoresBefore, fake.restores.size(), "a rejected document must write nothing");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.data.lastError", hasItem(containsString("10.0.0.1/8")))
                .body("checks.data.configSource", hasItem("api:kube-system/ip-masq-agent#config"));

        // More passes over the same bad version add no Event.
        agent.trigger();
        agent.trigger();
        Thread.sleep(300);
        assertEquals(1, events().size());

        client.configMaps().inNamespace(NS).withName(NAME).delete();
        await("defaults after delete", () -> returns().equals(
                List.of("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")));
        given().get("/q/health/ready").then().body("checks.data.lastError", hasItem("none"));
    }

    @Test
    void aBurstOfUpdatesEndsWithTheLastDocumentAndFewWrites() throws Exception {
        put("nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        await("created", () -> returns().contains("10.0.0.0/8"));
        int restoresBefore = fake.restores.size();
        long start = System.nanoTime();
        // 99 updates from four threads (the mock server answers one request in ~10 ms on these
        // machines), then the 100th alone, so the last document is known.
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        for (int i = 1; i <= 99; i++) {
            String document = "nonMasqueradeCIDRs: [10." + i + ".0.0/16]\n";
            sent.add(senders.submit(() -> patch(document)));
        }
        for (java.util.concurrent.Future<?> f : sent) {
            f.get();
        }
        senders.shutdown();
        patch("nonMasqueradeCIDRs: [10.100.0.0/16]\n");
        long burstMillis = (System.nanoTime() - start) / 1_000_000;
        await("the last document applied", () -> returns().equals(List.of("169.254.0.0/16", "10.100.0.0/16")));
        int writes = fake.restores.size() - restoresBefore;
        System.out.printf("100 updates in %d ms gave %d writes%n", burstMillis, writes);
        // Passes start at most every MIN_GAP: a one-second burst gives about ten writes. On a loaded
        // 2-core machine the senders may need several seconds (5.5-7 s seen at load 15-26), so the
        // bound follows the burst's measured length rather than a fixed count: one write per gap,
        // plus a few for the pass already running and the watch's lag behind the last update.
        long bound = Math.max(15, burstMillis / SyncLoop.MIN_GAP.toMillis() + 5);
        assertTrue(writes <= bound, "expected at most " + bound + " writes for a " + burstMillis + " ms burst, got "
                + writes);
        // Coalescing at all: fewer writes than updates. How many fewer follows the burst's length
        // (the bound above); a fixed cap of 34 failed whenever the loaded machine (load 20 on 2
        // cores) stretched the sender's burst past 4.4 s, with the loop keeping its MIN_GAP.
        assertTrue(writes < 100, "expected fewer writes than the 100 updates, got " + writes);
    }

    /** One request per update (a JSON merge patch needs no resourceVersion), as kubectl edit sends. */
    private void patch(String document) {
        String escaped = document.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        client.configMaps().inNamespace(NS).withName(NAME)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"config\":\"" + escaped + "\"}}");
    }

    private List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "InvalidConfig".equals(e.getReason())).toList();
    }
}
