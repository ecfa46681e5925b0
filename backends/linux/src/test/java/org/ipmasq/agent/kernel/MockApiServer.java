package org.ipmasq.agent.kernel;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kubernetes mock API server (CRUD mode) as a process of its own inside a test namespace, so a
 * packaged agent started in the same namespace can reach it on 127.0.0.1 while the host's network
 * stays untouched. It serves the ip-masq-agent ConfigMap holding the document given on the command
 * line, prints {@code listening <port>} once it accepts connections, and runs until killed (killing
 * it is how a test makes the API unreachable).
 */
public final class MockApiServer {

    private MockApiServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String document = args[1];
        KubernetesMockServer server = ConfigMapKernelIT.crudServer();
        server.init(InetAddress.getLoopbackAddress(), port);
        try (KubernetesClient client = server.createClient()) {
            ConfigMapKernelIT.put(client, document);
        }
        System.out.println("listening " + server.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** A started server process; {@link #close()} kills it (SIGKILL: an API that vanishes, no goodbye). */
    static final class Running implements AutoCloseable {

        private final ServerProcess server;
        final int port;

        private Running(ServerProcess server) {
            this.server = server;
            this.port = server.port();
        }

        /** Starts the server in {@code ns} on {@code port} and waits until it listens. */
        static Running start(Netns ns, int port, String document) throws IOException {
            try {
                return new Running(ServerProcess.start(ns, MockApiServer.class, List.of(Integer.toString(port), document)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the mock API server started", e);
            }
        }

        /** A kubeconfig pointing at this server, for the agent's KUBECONFIG. */
        Path kubeconfig(Path dir) throws IOException {
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: http://127.0.0.1:%d
                    contexts:
                    - name: mock
                      context: {cluster: mock, user: mock, namespace: kube-system}
                    current-context: mock
                    users:
                    - name: mock
                      user: {token: test}
                    """.formatted(port));
            return file;
        }

        @Override
        public void close() throws InterruptedException {
            server.close();
        }
    }
}
