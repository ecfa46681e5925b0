package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent started with the Linux DaemonSet's exact arguments and environment, read
 * from the manifest, becomes ready on the manifest's readiness probe.
 */
class ManifestArgsIT {

    @BeforeAll
    static void prerequisites() {
        KernelPrerequisites.check();
    }

    @Test
    void startsWithTheDaemonSetsArgumentsAndBecomesReady() throws Exception {
        Path manifest = Path.of("deploy-linux/daemonset.yaml");
        DaemonSet ds = new KubernetesSerialization().unmarshal(Files.readString(manifest), DaemonSet.class);
        Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> env = new ArrayList<>();
        for (EnvVar var : c.getEnv()) {
            // The downward API fills NODE_NAME in a cluster; here the test plays the kubelet.
            String value = var.getValue() != null ? var.getValue() : "test-node";
            env.add(var.getName() + "=" + value);
        }
        int port = c.getReadinessProbe().getHttpGet().getPort().getIntVal();
        String readyPath = c.getReadinessProbe().getHttpGet().getPath();
        try (Netns ns = Netns.create("manifest");
                AgentProcess agent = AgentProcess.start(ns, env, c.getArgs().toArray(String[]::new))) {
            DaemonIT.await("ready on the manifest's probe", Duration.ofSeconds(40), () -> {
                Http.Response r = Http.get(ns, port, readyPath);
                return r != null && r.status() == 200;
            });
            assertEquals(200, Http.get(ns, port, c.getLivenessProbe().getHttpGet().getPath()).status());
            // JVM options live in the launcher alone: the manifest sets none, and the JVM the
            // image's entrypoint started runs with the launcher's.
            assertTrue(env.stream().noneMatch(e -> e.startsWith("JAVA_TOOL_OPTIONS=")), env::toString);
            if (AgentProcess.runtime().equals("jvm")) { // the native executable has no JVM options to check
                String jvm = agent.javaCommandLine();
                assertTrue(jvm.contains("-XX:+UseSerialGC") && jvm.contains("-Xmx"), jvm);
            }
            assertTrue(ns.ok("iptables-save", "-t", "nat").out().contains(":IP-MASQ-AGENT "));
        }
    }
}
