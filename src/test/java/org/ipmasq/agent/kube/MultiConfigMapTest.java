package org.ipmasq.agent.kube;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import org.ipmasq.agent.backend.iptables.FakeIptables;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.runtime.AgentAssembly;
import org.ipmasq.agent.runtime.AgentStateAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two ConfigMaps, a user's (the primary) and a cloud provider's, watched through the mock API
 * server and merged into one chain; health data per source (the metrics per source are
 * SourceMetricsTest's).
 */
@QuarkusTest
@WithKubernetesTestServer
class MultiConfigMapTest {

    static final String NS = EventFanInTest.NS;
    static final String USER = EventFanInTest.USER;
    static final String CLOUD = EventFanInTest.CLOUD;

    @Inject
    KubernetesClient client;

    @Inject
    AgentStateAccess state;

    private final FakeIptables fake = FakeIptables.nftOnly();
    private AgentAssembly agent;

    @BeforeEach
    void clean() {
        client.configMaps().inNamespace(NS).withName(USER).delete();
        client.configMaps().inNamespace(NS).withName(CLOUD).delete();
        client.v1().events().inNamespace(NS).delete();
    }

    private void start() throws Exception {
        agent = AgentAssembly.build(ArgsParser.parse("--config-source=api", "--config=/nonexistent", "--node-name=node-a",
                "--iptables-mode=nft", "--configmap-name=" + USER + "," + CLOUD), fake, () -> client, Clock.systemUTC(),
                outcome -> { });
        state.publish(agent.status());
        agent.trigger();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private List<String> returns() {
        return EventFanInTest.returns(fake, "iptables-nft");
    }

    private ConfigMap put(String name, String document) {
        return EventFanInTest.put(client, name, document);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        ConfigMapWatchTest.await(what, condition);
    }

    @Test
    void twoConfigMapsMergeAndABadEditOfOneKeepsItsEntriesWhileTheOtherChanges() throws Exception {
        put(USER, "nonMasqueradeCIDRs: [192.168.0.0/16]\nresyncInterval: 30s\n");
        put(CLOUD, "nonMasqueradeCIDRs: [10.0.0.0/8, 192.168.0.0/16]\nmasqLinkLocal: true\n");
        start();
        await("merged", () -> returns().equals(List.of("192.168.0.0/16", "10.0.0.0/8")));
        // The status is written after the rules: wait for it too. The primary's interval wins.
        await("the primary's resyncInterval", () -> agent.status().get().resyncInterval().equals(java.time.Duration.ofSeconds(30)));
        String userHash = EventFanInTest.source(agent, USER).hash().orElseThrow();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.data.'source.ip-masq-agent'", hasItem("present, hash " + userHash))
                .body("checks.data.'source.ip-masq-agent-cloud'", hasItem(containsString("present, hash ")))
                .body("checks.data.configSource", hasItem("api:kube-system/ip-masq-agent#config, "
                        + "kube-system/ip-masq-agent-cloud#config"));

        // The user breaks their ConfigMap while the cloud's changes: the change applies, and the
        // user's last good entries stay.
        ConfigMap bad = put(USER, "nonMasqueradeCIDRs: [192.168.0.1/16]\n");
        await("the user's edit rejected", () -> EventFanInTest.source(agent, USER).rejected());
        put(CLOUD, "nonMasqueradeCIDRs: [10.0.0.0/8, 100.64.0.0/10]\nmasqLinkLocal: true\n");
        await("the cloud's change applied", () -> returns().equals(List.of("192.168.0.0/16", "10.0.0.0/8", "100.64.0.0/10")));
        await("an Event on the user's ConfigMap", () -> EventFanInTest.events(client, USER).size() == 1);
        Event event = EventFanInTest.events(client, USER).get(0);
        assertEquals(bad.getMetadata().getUid(), event.getInvolvedObject().getUid());
        assertEquals(bad.getMetadata().getResourceVersion(), event.getInvolvedObject().getResourceVersion());
        assertEquals(List.of(), EventFanInTest.events(client, CLOUD));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.data.'source.ip-masq-agent'", hasItem("rejected (hash " + userHash
                        + " kept): nonMasqueradeCIDRs[0]: CIDR \"192.168.0.1/16\" has host bits set; did you mean "
                        + "\"192.168.0.0/16\"?"))
                .body("checks.data.lastError", hasItem(containsString("source ip-masq-agent: nonMasqueradeCIDRs[0]")));
        assertTrue(EventFanInTest.source(agent, USER).present() && !EventFanInTest.source(agent, CLOUD).rejected());
    }

    @Test
    void deletingOneLeavesTheOtherAndASourceThatAppearsLaterJoins() throws Exception {
        put(USER, "nonMasqueradeCIDRs: [192.168.0.0/16]\n");
        start();
        await("only the user's, no defaults for the absent cloud ConfigMap", () -> returns().equals(List.of(
                "169.254.0.0/16", "192.168.0.0/16")));
        given().get("/q/health/ready").then().body("checks.data.'source.ip-masq-agent-cloud'", hasItem("absent"));

        put(CLOUD, "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
        await("the cloud's ConfigMap joins", () -> returns().equals(List.of("169.254.0.0/16", "192.168.0.0/16", "10.0.0.0/8")));

        client.configMaps().inNamespace(NS).withName(USER).delete();
        await("the user's deleted: the cloud's alone", () -> returns().equals(List.of("169.254.0.0/16", "10.0.0.0/8")));
        await("health says the user's is gone", () -> !EventFanInTest.source(agent, USER).present());
        assertEquals(java.util.Optional.empty(), EventFanInTest.source(agent, USER).hash());
        client.configMaps().inNamespace(NS).withName(CLOUD).delete();
        await("both gone: the defaults", () -> returns().equals(
                List.of("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")));
    }
}
