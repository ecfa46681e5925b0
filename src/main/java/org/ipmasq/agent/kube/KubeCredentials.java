package org.ipmasq.agent.kube;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether there is any cluster to talk to, decided without creating a client: a pod's service
 * account (the in-cluster environment) or a kubeconfig. Without either the agent never tries the
 * API, so a laptop or CI run works from the file alone.
 */
public final class KubeCredentials {

    private KubeCredentials() {
    }

    public static boolean present(Map<String, String> env, Path home) {
        if (env.containsKey("KUBERNETES_SERVICE_HOST")
                && Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"))) {
            return true;
        }
        String kubeconfig = env.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return true;
        }
        return home != null && Files.isRegularFile(home.resolve(".kube").resolve("config"));
    }
}
