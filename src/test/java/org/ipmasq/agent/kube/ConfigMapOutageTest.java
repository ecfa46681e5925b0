package org.ipmasq.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ipmasq.agent.backend.iptables.FakeIptables;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.core.ConfigSourceStatus;
import org.ipmasq.agent.runtime.AgentAssembly;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away and comes back (a mock server in CRUD mode, stopped and started
 * again on the same port): rules stay as they were and keep being healed from the last
 * ConfigMap, health says the source is stale, and changes flow again afterwards.
 */
class ConfigMapOutageTest {

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
    }

    private static void put(KubernetesClient client, String document) {
        client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withNamespace("kube-system").withName("ip-masq-agent").endMetadata()
                .addToData("config", document).build()).createOr(c -> c.update());
    }

    /** A mock API server that stores what it is sent (CRUD mode), over plain HTTP. */
    static KubernetesMockServer crudServer() {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
    }

    @Test
    void rulesSurviveAnApiOutageAndChangesFlowAgainAfterwards() throws Exception {
        KubernetesMockServer first = crudServer();
        first.init(InetAddress.getLoopbackAddress(), 0);
        int port = first.getPort();
        FakeIptables fake = FakeIptables.nftOnly();
        try (KubernetesClient client = first.createClient()) {
            put(client, "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            try (AgentAssembly agent = AgentAssembly.build(ArgsParser.parse("--config-source=api",
                    "--config=/nonexistent", "--iptables-mode=nft", "--node-name=n1"), fake, () -> client,
                    Clock.systemUTC(), outcome -> { })) {
                agent.trigger();
                await("applied", Duration.ofSeconds(10),
                        () -> fake.snapshot("iptables-nft", "IP-MASQ-AGENT").size() == 3);
                List<String> applied = fake.snapshot("iptables-nft", "IP-MASQ-AGENT");

                first.destroy();
                await("health says stale", Duration.ofSeconds(20), () -> {
                    agent.trigger();
                    return agent.status().get().configSource().stale();
                });
                // Drift during the outage is repaired from the last ConfigMap, never from defaults.
                fake.table("iptables-nft").remove("IP-MASQ-AGENT");
                agent.trigger();
                await("healed during the outage", Duration.ofSeconds(5),
                        () -> applied.equals(fake.snapshot("iptables-nft", "IP-MASQ-AGENT")));
                assertTrue(agent.status().get().configError().isEmpty());

                KubernetesMockServer second = crudServer();
                second.init(InetAddress.getLoopbackAddress(), port);
                try {
                    // A real API server never hands out a resourceVersion twice; a fresh mock starts
                    // counting again. One unrelated object first keeps the versions moving forward.
                    client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                            .withNamespace("kube-system").withName("unrelated").endMetadata().build()).create();
                    put(client, "nonMasqueradeCIDRs: [192.168.0.0/16, 100.64.0.0/10]\n");
                    await("change after the API came back", Duration.ofSeconds(60),
                            () -> fake.snapshot("iptables-nft", "IP-MASQ-AGENT").size() == 4);
                    await("no longer stale", Duration.ofSeconds(10), () -> {
                        agent.trigger();
                        ConfigSourceStatus source = agent.status().get().configSource();
                        return !source.stale() && source.description().equals("api:kube-system/ip-masq-agent#config");
                    });
                    assertTrue(fake.snapshot("iptables-nft", "IP-MASQ-AGENT").get(1).contains("-d 192.168.0.0/16 "));
                } finally {
                    second.destroy();
                }
            }
        }
        assertEquals(1, fake.snapshot("iptables-nft", "POSTROUTING").size());
    }
}
