package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Path;
import org.ipmasq.agent.core.KubeletVolume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        put(client, "ip-masq-agent", document);
    }

    static void put(KubernetesClient client, String name, String document) {
        client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withNamespace("kube-system").withName(name).endMetadata()
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

    @Test
    void twoConfigMapsAreMergedInTheKernel() throws Exception {
        KubernetesMockServer server = crudServer();
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (Netns ns = Netns.create("cm2"); KubernetesClient client = server.createClient()) {
            put(client, "ip-masq-agent", "nonMasqueradeCIDRs: [192.168.0.0/16]\n");
            put(client, "ip-masq-agent-cloud", "nonMasqueradeCIDRs: [10.0.0.0/8]\nforceMasqueradeCIDRs: [10.9.0.0/16]\n");
            try (AgentAssembly agent = AgentAssembly.build(ArgsParser.parse("--config-source=api",
                    "--config=/nonexistent", "--node-name=n1", "--configmap-name=ip-masq-agent,ip-masq-agent-cloud"),
                    new NetnsCommandRunner(ns.name, new ProcessCommandRunner(Duration.ofSeconds(30))),
                    () -> client, Clock.systemUTC(), outcome -> { })) {
                agent.trigger();
                DaemonIT.await("both ConfigMaps in the kernel", Duration.ofSeconds(10),
                        () -> returns(ns).equals(List.of("169.254.0.0/16", "192.168.0.0/16", "10.0.0.0/8")));
                assertEquals(1, ns.ok("iptables-save", "-t", "nat").out().lines()
                        .filter(l -> l.startsWith("-A IP-MASQ-AGENT -d 10.9.0.0/16 ") && l.contains("-j MASQUERADE")).count());
                // A bad edit of the user's while the cloud's changes: the change lands, the user's entries stay.
                put(client, "ip-masq-agent", "nonMasqueradeCIDRs: [192.168.0.1/16]\n");
                put(client, "ip-masq-agent-cloud", "nonMasqueradeCIDRs: [10.0.0.0/8, 100.64.0.0/10]\n");
                DaemonIT.await("the cloud's change in the kernel", Duration.ofSeconds(5), () -> returns(ns)
                        .equals(List.of("169.254.0.0/16", "192.168.0.0/16", "10.0.0.0/8", "100.64.0.0/10")));
                client.configMaps().inNamespace("kube-system").withName("ip-masq-agent-cloud").delete();
                DaemonIT.await("the cloud's deleted: the user's last good alone", Duration.ofSeconds(5),
                        () -> returns(ns).equals(List.of("169.254.0.0/16", "192.168.0.0/16")));
            }
        } finally {
            server.destroy();
        }
    }

    /** A projected volume of two ConfigMaps, as the kubelet lays it out, read as a config directory. */
    @Test
    void aConfigDirectoryOfTwoFilesIsMergedInTheKernel(@TempDir Path dir) throws Exception {
        KubeletVolume.write(dir, "1", "ip-masq-agent", "nonMasqueradeCIDRs: [192.168.0.0/16]\n",
                "ip-masq-agent-cloud", "nonMasqueradeCIDRs: [10.0.0.0/8]\nmasqLinkLocal: true\n");
        try (Netns ns = Netns.create("cmdir");
                AgentAssembly agent = AgentAssembly.build(ArgsParser.parse("--config-source=file", "--config",
                        dir.toString()), new NetnsCommandRunner(ns.name, new ProcessCommandRunner(Duration.ofSeconds(30))),
                        null, Clock.systemUTC(), outcome -> { })) {
            agent.trigger();
            DaemonIT.await("both files in the kernel", Duration.ofSeconds(10),
                    () -> returns(ns).equals(List.of("192.168.0.0/16", "10.0.0.0/8")));
            assertEquals("file:" + dir, agent.status().get().configSource().description());
            // The kubelet swaps ..data: the cloud's file breaks, the user's changes.
            KubeletVolume.write(dir, "2", "ip-masq-agent", "nonMasqueradeCIDRs: [192.168.0.0/16, 172.16.0.0/12]\n",
                    "ip-masq-agent-cloud", "nonMasqueradeCIDRs: [10.0.0.1/8]\n");
            agent.trigger();
            DaemonIT.await("the user's change in, the cloud's last good kept", Duration.ofSeconds(5),
                    () -> returns(ns).equals(List.of("192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/8")));
            assertTrue(agent.status().get().configError().orElseThrow().startsWith("source ip-masq-agent-cloud: "),
                    agent.status().get().configError().toString());
        }
    }
}
