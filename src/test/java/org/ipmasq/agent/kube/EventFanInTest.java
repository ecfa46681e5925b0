package org.ipmasq.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.ipmasq.agent.backend.iptables.FakeIptables;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.core.SourceState;
import org.ipmasq.agent.runtime.AgentAssembly;
import org.junit.jupiter.api.Test;

/**
 * 50 agents (50 nodes, in one JVM, each with its own fake nat table) against one mock API server,
 * two ConfigMaps each. One bad edit gives exactly one InvalidConfig Event for the whole cluster;
 * an error only some nodes see (an IPv6 range on the nodes started without --enable-ipv6) gives
 * one Event per such node, naming it.
 */
class EventFanInTest {

    static final String NS = "kube-system";
    static final String USER = "ip-masq-agent";
    static final String CLOUD = "ip-masq-agent-cloud";
    static final int NODES = 50;
    static final int WITHOUT_IPV6 = 10;

    static ConfigMap put(KubernetesClient client, String name, String document) {
        return client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withNamespace(NS).withName(name).endMetadata().addToData("config", document).build())
                .createOr(c -> c.update());
    }

    static List<Event> events(KubernetesClient client, String configMap) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "InvalidConfig".equals(e.getReason()))
                .filter(e -> configMap.equals(e.getInvolvedObject().getName())).toList();
    }

    static SourceState source(AgentAssembly agent, String name) {
        return agent.status().get().sources().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    static List<String> returns(FakeIptables fake, String prefix) {
        return fake.snapshot(prefix, "IP-MASQ-AGENT").stream().filter(r -> r.endsWith("-j RETURN"))
                .map(r -> FakeIptables.optionValue(r, "-d")).toList();
    }

    @Test
    void oneBadEditIsOneEventForTheClusterAndANodeSpecificErrorOnePerSuchNode() throws Exception {
        KubernetesMockServer server = ConfigMapOutageTest.crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        List<AgentAssembly> agents = new ArrayList<>();
        List<FakeIptables> fakes = new ArrayList<>();
        try (KubernetesClient client = server.createClient()) {
            put(client, USER, "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            put(client, CLOUD, "nonMasqueradeCIDRs: [100.64.0.0/10]\n");
            for (int i = 0; i < NODES; i++) {
                FakeIptables fake = FakeIptables.nftOnly();
                List<String> flags = new ArrayList<>(List.of("--config-source=api", "--config=/nonexistent",
                        "--iptables-mode=nft", "--node-name=node-" + i, "--configmap-name=" + USER + "," + CLOUD));
                if (i >= WITHOUT_IPV6) {
                    flags.add("--enable-ipv6");
                }
                AgentAssembly agent = AgentAssembly.build(ArgsParser.parse(flags.toArray(String[]::new)), fake,
                        () -> client, Clock.systemUTC(), outcome -> { });
                agents.add(agent);
                fakes.add(fake);
                agent.trigger();
            }
            ConfigMapOutageTest.await("every node applied both ConfigMaps", Duration.ofSeconds(60), () -> fakes.stream()
                    .allMatch(f -> returns(f, "iptables-nft").equals(List.of("169.254.0.0/16", "10.0.0.0/8", "100.64.0.0/10"))));
            drain(server);

            // One bad edit of the user's ConfigMap: every node rejects it for the same reason.
            ConfigMap bad = put(client, USER, "nonMasqueradeCIDRs: [10.0.0.1/8]\n");
            ConfigMapOutageTest.await("every node rejected the edit", Duration.ofSeconds(60),
                    () -> agents.stream().allMatch(a -> source(a, USER).rejected()));
            agents.forEach(AgentAssembly::trigger); // resyncs over the same bad version add nothing
            ConfigMapOutageTest.await("the Event", Duration.ofSeconds(10), () -> events(client, USER).size() == 1);
            Thread.sleep(500);
            List<Event> userEvents = events(client, USER);
            assertEquals(1, userEvents.size(), () -> userEvents.toString());
            assertEquals(bad.getMetadata().getResourceVersion(), userEvents.get(0).getInvolvedObject().getResourceVersion());
            assertTrue(userEvents.get(0).getMessage().contains("did you mean \"10.0.0.0/8\""), userEvents.get(0).getMessage());
            long creates = drain(server);
            System.out.printf("one bad edit, %d nodes: %d Event create requests, %d Event stored%n", NODES, creates,
                    userEvents.size());
            assertTrue(creates >= 1 && creates <= NODES, "each node asks at most once: " + creates);
            // The last good entries stay on every node.
            assertTrue(fakes.stream().allMatch(f -> returns(f, "iptables-nft").contains("10.0.0.0/8")));

            // The cloud's ConfigMap gains an IPv6 range: only the nodes without --enable-ipv6 reject it.
            put(client, CLOUD, "nonMasqueradeCIDRs: [100.64.0.0/10, fd00::/8]\n");
            ConfigMapOutageTest.await("IPv6 nodes applied it, the others rejected it", Duration.ofSeconds(60), () -> {
                for (int i = 0; i < NODES; i++) {
                    boolean ok = i < WITHOUT_IPV6 ? source(agents.get(i), CLOUD).rejected()
                            : returns(fakes.get(i), "ip6tables-nft").contains("fd00::/8");
                    if (!ok) {
                        return false;
                    }
                }
                return true;
            });
            ConfigMapOutageTest.await("one Event per node that rejects", Duration.ofSeconds(10),
                    () -> events(client, CLOUD).size() == WITHOUT_IPV6);
            agents.forEach(AgentAssembly::trigger);
            Thread.sleep(500);
            List<Event> cloudEvents = events(client, CLOUD);
            assertEquals(WITHOUT_IPV6, cloudEvents.size());
            Set<String> hosts = cloudEvents.stream().map(e -> e.getSource().getHost()).collect(Collectors.toSet());
            assertEquals(Set.of("node-0", "node-1", "node-2", "node-3", "node-4", "node-5", "node-6", "node-7", "node-8",
                    "node-9"), hosts);
            cloudEvents.forEach(e -> assertTrue(e.getMessage().startsWith("node " + e.getSource().getHost() + " rejected"),
                    e.getMessage()));
            assertEquals(1, events(client, USER).size(), "the user's Event is untouched");
        } finally {
            agents.forEach(AgentAssembly::close);
            server.destroy();
        }
    }

    /** Takes every request the server recorded so far; returns how many were Event creates. */
    private static long drain(KubernetesMockServer server) throws InterruptedException {
        long creates = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            if ("POST".equals(request.getMethod()) && request.getPath().startsWith("/api/v1/namespaces/" + NS + "/events")) {
                creates++;
            }
        }
        return creates;
    }
}
