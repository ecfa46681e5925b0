package org.ipmasq.agent.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.ipmasq.agent.core.ConfigSource;
import org.ipmasq.agent.core.ConfigSourceStatus;

/**
 * The configured ConfigMaps as the API holds them now, read with one GET each through the pod's
 * service account, before the Kubernetes client or Quarkus exist. It lets the daemon's first pass
 * run before the boot with the API source too, as it does with files: the client and its
 * informers take a second or more to come up, and the rules need none of it. The informers then
 * take over; a ConfigMap edited in between reaches the node through their first list.
 *
 * <p>Only the in-cluster credentials are used (a token file and a CA): they are what a DaemonSet
 * has. A kubeconfig can name exec plugins, client certificates and proxies, which the client
 * handles and this need not.
 */
public final class ConfigMapSnapshot {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigMapSnapshot() {
    }

    /**
     * One source per ref, in the same order, each holding its document as read now (empty for a
     * ConfigMap that does not exist or lacks the key, as the informer sees it).
     *
     * @param timeout for each connection and each read
     * @throws IOException for anything but a definite answer (no connection, 401, 403, 5xx): the
     *     caller then waits for the client instead
     */
    public static List<ConfigSource> read(KubeCredentials.InClusterEndpoint endpoint, List<ConfigMapRef> refs,
            Duration timeout) throws IOException {
        SSLContext tls = trusting(endpoint);
        String token = Files.readString(endpoint.tokenFile(), StandardCharsets.UTF_8).trim();
        List<ConfigSource> sources = new ArrayList<>();
        for (ConfigMapRef ref : refs) {
            sources.add(read(endpoint, tls, token, ref, timeout));
        }
        return List.copyOf(sources);
    }

    /**
     * As {@link #read}, on a thread of its own, started now: the TLS and JSON classes load (most
     * of the read's time on a cold JVM) while the caller sets up its backend on the other core.
     */
    public static CompletableFuture<List<ConfigSource>> readInBackground(KubeCredentials.InClusterEndpoint endpoint,
            List<ConfigMapRef> refs, Duration timeout) {
        CompletableFuture<List<ConfigSource>> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(read(endpoint, refs, timeout));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "ip-masq-configmap-read");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static ConfigSource read(KubeCredentials.InClusterEndpoint endpoint, SSLContext tls, String token,
            ConfigMapRef ref, Duration timeout) throws IOException {
        URI uri = URI.create(endpoint.baseUrl() + "/api/v1/namespaces/" + ref.namespace() + "/configmaps/" + ref.name());
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        try {
            connection.setSSLSocketFactory(tls.getSocketFactory());
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setRequestProperty("Accept", "application/json");
            int status = connection.getResponseCode();
            if (status == HttpURLConnection.HTTP_NOT_FOUND) {
                return new Read(ref, Optional.empty());
            }
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("GET " + uri.getPath() + ": HTTP " + status);
            }
            try (InputStream body = connection.getInputStream()) {
                JsonNode value = JSON.readTree(body).path("data").path(ref.key());
                return new Read(ref, value.isTextual() ? Optional.of(value.asText()) : Optional.empty());
            }
        } finally {
            connection.disconnect();
        }
    }

    /** TLS that trusts exactly the cluster's CA, as the client does. */
    private static SSLContext trusting(KubeCredentials.InClusterEndpoint endpoint) throws IOException {
        try (InputStream pem = Files.newInputStream(endpoint.caFile())) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("the service account's CA " + endpoint.caFile() + ": " + e.getMessage(), e);
        }
    }

    /** One ConfigMap's document as read, named and described as its informer's source is. */
    private record Read(ConfigMapRef ref, Optional<String> document) implements ConfigSource {

        @Override
        public Optional<String> fetch() {
            return document;
        }

        @Override
        public ConfigSourceStatus status() {
            return ConfigSourceStatus.api(ref.toString(), Optional.empty());
        }

        @Override
        public String name() {
            return ref.name();
        }
    }
}
