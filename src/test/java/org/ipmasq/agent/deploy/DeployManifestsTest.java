package org.ipmasq.agent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The deploy folders: strict parsing, kustomize rendering, and the invariants between them and the agent. */
class DeployManifestsTest {

    static Path root;

    @BeforeAll
    static void locate() {
        root = Manifests.root();
    }

    static List<Path> yamlFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("deploy-linux", "deploy-windows")) {
            try (Stream<Path> list = Files.list(root.resolve(folder))) {
                list.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                        .sorted().forEach(files::add);
            }
        }
        return files;
    }

    static DaemonSet daemonSet(String folder) throws IOException {
        return (DaemonSet) Manifests.read(root.resolve(folder).resolve("daemonset.yaml")).get(0);
    }

    @Test
    void everyManifestParsesStrictly() throws IOException {
        List<Path> files = yamlFiles();
        assertEquals(10, files.size(), files::toString);
        for (Path file : files) {
            assertFalse(Manifests.read(file).isEmpty(), file + " holds no object");
        }
    }

    @Test
    void aTypoInAFieldNameIsCaught() {
        String typo = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n  namespace: kube-system\n"
                + "automountServiceAcountToken: false\n";
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> Manifests.parse(typo, "inline"));
        assertTrue(e.getMessage().contains("automountServiceAcountToken"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy-linux/ip-masq-agent.yaml", "deploy-windows/ip-masq-agent-windows.yaml"})
    void allInOneFilesEqualWhatTheKustomizationsRender(String allInOne) throws Exception {
        Path file = root.resolve(allInOne);
        List<HasMetadata> rendered = Manifests.parse(Manifests.kustomize(file.getParent()), "kustomize " + file.getParent());
        assertEquals(rendered, Manifests.read(file));
    }

    @Test
    void probesUseTheHealthPortAndPathsOfTheApplication() throws IOException {
        Properties app = new Properties();
        try (Reader in = Files.newBufferedReader(root.resolve("src/main/resources/application.properties"))) {
            app.load(in);
        }
        int port = Integer.parseInt(app.getProperty("quarkus.http.port"));
        for (String folder : List.of("deploy-linux", "deploy-windows")) {
            Container c = daemonSet(folder).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
            assertEquals(port, c.getLivenessProbe().getHttpGet().getPort().getIntVal());
            assertEquals(port, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
            String commandLine = String.join(" ", c.getCommand()) + " " + String.join(" ", c.getArgs());
            assertTrue(commandLine.contains("--health-port=" + port), folder + ": " + commandLine);
        }
    }

    @Test
    void linuxRunsWithExactlyNetAdminAndNetRawAndNothingPrivileged() throws IOException {
        PodSpec pod = daemonSet("deploy-linux").getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertEquals(List.of("NET_ADMIN", "NET_RAW"), c.getSecurityContext().getCapabilities().getAdd());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getPrivileged());
        assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.TRUE, pod.getHostNetwork());
        assertEquals(Map.of("kubernetes.io/os", "linux", "beta.kubernetes.io/masq-agent-ds-ready", "true"),
                pod.getNodeSelector());
        assertEquals("system-node-critical", pod.getPriorityClassName());
        assertTrue(pod.getTolerations().stream().anyMatch(t -> "Exists".equals(t.getOperator()) && t.getKey() == null));
        assertEquals("RollingUpdate", daemonSet("deploy-linux").getSpec().getUpdateStrategy().getType());
        assertNotNull(c.getResources().getLimits().get("memory"));
        assertNotNull(c.getResources().getRequests().get("memory"));
    }

    @Test
    void windowsIsAHostProcessPodAsSystem() throws IOException {
        PodSpec pod = daemonSet("deploy-windows").getSpec().getTemplate().getSpec();
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getWindowsOptions().getHostProcess());
        assertEquals("NT AUTHORITY\\SYSTEM", pod.getSecurityContext().getWindowsOptions().getRunAsUserName());
        assertEquals(Boolean.TRUE, pod.getHostNetwork());
        assertEquals(Map.of("kubernetes.io/os", "windows", "beta.kubernetes.io/masq-agent-ds-ready", "true"),
                pod.getNodeSelector());
        assertEquals("system-node-critical", pod.getPriorityClassName());
        assertTrue(String.join(" ", pod.getContainers().get(0).getCommand()).contains("--backend=hns"));
    }

    @Test
    void rbacGrantsNothingBeyondTheConfigMapAndEvents() throws IOException {
        for (String folder : List.of("deploy-linux", "deploy-windows")) {
            List<HasMetadata> objects = Manifests.read(root.resolve(folder).resolve("rbac.yaml"));
            Role role = (Role) objects.stream().filter(Role.class::isInstance).findFirst().orElseThrow();
            assertEquals("kube-system", role.getMetadata().getNamespace());
            assertEquals(List.of(
                    rule(List.of("configmaps"), CONFIGMAPS, List.of("get", "list", "watch")),
                    rule(List.of("events"), List.of(), List.of("create"))),
                    role.getRules().stream().map(r -> rule(r.getResources(), r.getResourceNames(), r.getVerbs())).toList());
            role.getRules().forEach(r -> assertEquals(List.of(""), r.getApiGroups()));
            RoleBinding binding = (RoleBinding) objects.stream().filter(RoleBinding.class::isInstance).findFirst()
                    .orElseThrow();
            assertEquals("Role", binding.getRoleRef().getKind());
            assertEquals("ip-masq-agent", binding.getSubjects().get(0).getName());
            assertTrue(objects.stream().noneMatch(o -> o.getKind().startsWith("Cluster")));
        }
        // The two folders carry the same ServiceAccount and RBAC, byte for byte.
        assertEquals(Files.readString(root.resolve("deploy-linux/rbac.yaml")), Files.readString(root.resolve("deploy-windows/rbac.yaml")));
        assertEquals(Files.readString(root.resolve("deploy-linux/serviceaccount.yaml")),
                Files.readString(root.resolve("deploy-windows/serviceaccount.yaml")));
    }

    private static String rule(List<String> resources, List<String> names, List<String> verbs) {
        return resources + " " + names + " " + verbs;
    }

    /** The user's ConfigMap (the primary) and the cloud provider's, in --configmap-name order. */
    static final List<String> CONFIGMAPS = List.of("ip-masq-agent", "ip-masq-agent-cloud");

    /**
     * Both DaemonSets name the same ConfigMaps, in the same order, in --configmap-name, in the
     * projected volume (the file fallback, one file per ConfigMap named after it so name order is
     * --configmap-name order) and in the Role's resourceNames.
     */
    @Test
    void bothDaemonSetsReadTheSameConfigMapsAsRbacAllowsWithTheSameServiceAccount() throws IOException {
        for (String folder : List.of("deploy-linux", "deploy-windows")) {
            PodSpec pod = daemonSet(folder).getSpec().getTemplate().getSpec();
            assertEquals("ip-masq-agent", pod.getServiceAccountName());
            Volume config = pod.getVolumes().stream().filter(v -> v.getProjected() != null).findFirst().orElseThrow();
            List<String> projected = new ArrayList<>();
            for (var source : config.getProjected().getSources()) {
                assertEquals(Boolean.TRUE, source.getConfigMap().getOptional());
                assertEquals("config", source.getConfigMap().getItems().get(0).getKey());
                assertEquals(source.getConfigMap().getName(), source.getConfigMap().getItems().get(0).getPath());
                projected.add(source.getConfigMap().getName());
            }
            assertEquals(CONFIGMAPS, projected);
            assertEquals(CONFIGMAPS, projected.stream().sorted().toList(), "file name order is the merge order");
            Container c = pod.getContainers().get(0);
            assertTrue(c.getVolumeMounts().stream().filter(m -> m.getName().equals(config.getName()))
                    .findFirst().orElseThrow().getMountPath().endsWith("/etc/config"));
            String commandLine = String.join(" ", c.getCommand()) + " " + String.join(" ", c.getArgs());
            assertTrue(commandLine.contains("--configmap-name=" + String.join(",", CONFIGMAPS) + " ")
                    || commandLine.contains("--configmap-name=" + String.join(",", CONFIGMAPS) + "\n"), commandLine);
            assertTrue(commandLine.matches("(?s).*--config=\\S*[/\\\\]etc[/\\\\]config(\\s.*|'|$)"), commandLine);
            assertFalse(commandLine.contains("--configmap-namespace") || commandLine.contains("--configmap-key"), commandLine);
            assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("NODE_NAME")
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("spec.nodeName")));
        }
        List<String> examples = new ArrayList<>();
        for (String file : List.of("configmap-example.yaml", "configmap-cloud-example.yaml")) {
            HasMetadata example = Manifests.read(root.resolve("deploy-linux").resolve(file)).get(0);
            assertEquals("kube-system", example.getMetadata().getNamespace());
            examples.add(example.getMetadata().getName());
        }
        assertEquals(CONFIGMAPS, examples);
    }

    @Test
    void nativeProfileBuildsInMandrelAndKeepsJnaUninitialised() throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        assertTrue(pom.contains("<id>native</id>") && pom.contains("<quarkus.native.enabled>true</quarkus.native.enabled>"));
        Properties app = new Properties();
        try (Reader in = Files.newBufferedReader(root.resolve("src/main/resources/application.properties"))) {
            app.load(in);
        }
        assertEquals("true", app.getProperty("quarkus.native.container-build"));
        assertTrue(app.getProperty("quarkus.native.builder-image").contains("mandrel"));
        assertTrue(app.getProperty("quarkus.native.additional-build-args").contains("--initialize-at-run-time=com.sun.jna"));
    }
}
