package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.ipmasq.agent.cli.ArgsParser;
import org.ipmasq.agent.exec.ProcessCommandRunner;
import org.ipmasq.agent.runtime.AgentAssembly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ConfigMap edits through a mock API server reach the real iptables of a test namespace. */
class ConfigMapKernelIT {

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    static KubernetesMockServer crudServer() {
        return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
    }

    static void put(KubernetesClient client, String document) {
        client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withNamespace("kube-system").withName("ip-masq-agent").endMetadata()
                .addToData("config", document).build()).createOr(c -> c.update());
    }

    static List<String> returns(Netns ns) {
        return ns.ok("iptables-save", "-t", "nat").out().lines().filter(l -> l.startsWith("-A IP-MASQ-AGENT -d "))
                .filter(l -> l.endsWith("-j RETURN")).map(l -> l.split(" ")[3]).toList();
    }

    @Test
    void configMapChangesReachTheKernel() throws Exception {
        KubernetesMockServer server = crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (Netns ns = Netns.create("cmk"); KubernetesClient client = server.createClient()) {
            put(client, "nonMasqueradeCIDRs: [10.0.0.0/8]\n");
            try (AgentAssembly agent = AgentAssembly.build(ArgsParser.parse("--config-source=api",
                    "--config=/nonexistent", "--node-name=n1"),
                    new NetnsCommandRunner(ns.name, new ProcessCommandRunner(Duration.ofSeconds(30))),
                    () -> client, Clock.systemUTC(), outcome -> { })) {
                agent.trigger();
                DaemonIT.await("first document in the kernel", Duration.ofSeconds(10),
                        () -> returns(ns).equals(List.of("169.254.0.0/16", "10.0.0.0/8")));
                put(client, "nonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12]\nmasqLinkLocal: true\n");
                DaemonIT.await("update in the kernel", Duration.ofSeconds(5),
                        () -> returns(ns).equals(List.of("10.0.0.0/8", "172.16.0.0/12")));
                client.configMaps().inNamespace("kube-system").withName("ip-masq-agent").delete();
                DaemonIT.await("defaults after delete", Duration.ofSeconds(5), () -> returns(ns)
                        .equals(List.of("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")));
                assertEquals(1, ns.ok("iptables-save", "-t", "nat").out().lines()
                        .filter(l -> l.startsWith("-A POSTROUTING") && l.endsWith("-j IP-MASQ-AGENT")).count());
            }
        } finally {
            server.destroy();
        }
    }
}
