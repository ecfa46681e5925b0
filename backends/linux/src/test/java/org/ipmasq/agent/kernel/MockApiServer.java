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

        private final Process process;
        private final Path log;
        final int port;

        private Running(Process process, Path log, int port) {
            this.process = process;
            this.log = log;
            this.port = port;
        }

        /** Starts the server in {@code ns} on {@code port} and waits until it listens. */
        static Running start(Netns ns, int port, String document) throws IOException {
            List<String> command = new ArrayList<>(ns.command(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    MockApiServer.class.getName(), Integer.toString(port), document));
            Path log = Files.createTempFile("mock-api-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                java.util.Optional<String> line = Files.readAllLines(log).stream()
                        .filter(l -> l.startsWith("listening ")).findFirst();
                if (line.isPresent()) {
                    return new Running(process, log, Integer.parseInt(line.get().substring("listening ".length()).trim()));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("mock API server did not start in " + ns.name + ":\n"
                    + Files.readString(log));
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
            process.destroyForcibly();
            process.waitFor();
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a leftover temp file is harmless
            }
        }
    }
}
