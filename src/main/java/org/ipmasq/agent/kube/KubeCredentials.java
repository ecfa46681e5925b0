package org.ipmasq.agent.kube;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether there is any cluster to talk to, decided without creating a client: a pod's service
 * account (the in-cluster environment) or a kubeconfig. Without either the agent never tries the
 * API, so a laptop or CI run works from the file alone.
 */
public final class KubeCredentials {

    /** Where the kubelet mounts a pod's service account (token, ca.crt, namespace). */
    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private KubeCredentials() {
    }

    public static boolean present(Map<String, String> env, Path home) {
        if (inCluster(env, SERVICE_ACCOUNT).isPresent()) {
            return true;
        }
        String kubeconfig = env.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return true;
        }
        return home != null && Files.isRegularFile(home.resolve(".kube").resolve("config"));
    }

    /**
     * The API as a pod reaches it: the address the kubelet puts in {@code KUBERNETES_SERVICE_HOST}
     * and {@code _PORT}, and the service account's token and CA in {@code serviceAccount}. The
     * files are named, not read: the token is rotated under a running agent, so every reader
     * reads it afresh.
     */
    public static Optional<InClusterEndpoint> inCluster(Map<String, String> env, Path serviceAccount) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        Path token = serviceAccount.resolve("token");
        if (host == null || host.isBlank() || !Files.exists(token)) {
            return Optional.empty();
        }
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        return Optional.of(new InClusterEndpoint(host, port, token, serviceAccount.resolve("ca.crt")));
    }

    /** Where a pod's API is and how it proves who it is. */
    public record InClusterEndpoint(String host, String port, Path tokenFile, Path caFile) {

        /** {@code https://host:port}, an IPv6 host in brackets as URLs want it. */
        public String baseUrl() {
            return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
