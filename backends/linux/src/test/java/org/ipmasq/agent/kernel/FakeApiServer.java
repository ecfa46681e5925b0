package org.ipmasq.agent.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PfxOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small API server for ConfigMaps in {@code kube-system} that behaves like kube-apiserver where
 * the agent's shutdown, token rotation and recovery depend on it, which the fabric8 mock does not:
 *
 * <ul>
 *   <li>a watch stays open until the server's own timeout (or the request's {@code timeoutSeconds},
 *       whichever is shorter), never because the server is done sending;</li>
 *   <li>watches over WebSocket, or, with {@code --no-websocket}, as a chunked HTTP stream only (an
 *       upgrade request is answered 200 and ended, as a front end without WebSocket support does,
 *       which is fabric8's cue to fall back to a streamed GET);</li>
 *   <li>TLS when given a PKCS#12 key store, and bearer tokens checked on every request, the
 *       WebSocket upgrade included: a token not accepted is answered 401 with a Status;</li>
 *   <li>resource versions from one counter, watch events replayed from a history, and a watch from
 *       a version older than the history's start answered with the 410 ERROR event a compacted
 *       etcd gives.</li>
 * </ul>
 *
 * <p>It runs as a process of its own in a test namespace (see {@link Running}). Tests drive it by
 * lines on its standard input ({@code put NAME BASE64}, {@code delete NAME}, {@code tokens A,B},
 * {@code compact}, {@code end-watches}); it prints {@code listening PORT} when it accepts
 * connections and one line per request, watch start and watch end, for tests to read.
 */
public final class FakeApiServer {

    static final String NAMESPACE = "kube-system";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    private static final String EVENTS = "/api/v1/namespaces/" + NAMESPACE + "/events";

    /** One change, as a watch event carries it. */
    private record Change(long version, String type, ObjectNode object) {
    }

    /** An open watch: the names it selects, and how events reach it. */
    private record Watch(int id, String name, Consumer<String> send, Runnable end) {
    }

    private final long watchTimeoutSeconds;
    private final Map<String, ObjectNode> configMaps = new LinkedHashMap<>();
    private final List<Change> history = new ArrayList<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private volatile Set<String> tokens;
    private long version = 100;
    /** Versions at or below this one are compacted away: watching from them is answered 410. */
    private long compactedThrough = 100;
    private int watchIds;

    private FakeApiServer(long watchTimeoutSeconds, Set<String> tokens) {
        this.watchTimeoutSeconds = watchTimeoutSeconds;
        this.tokens = tokens;
    }

    /**
     * {@code PORT TOKENS [--tls P12 PASSWORD] [--no-websocket] [--watch-timeout SECONDS]}; TOKENS is
     * the comma-separated list of bearer tokens accepted at first.
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port);
        boolean webSocket = true;
        long watchTimeout = 1800; // kube-apiserver's --min-request-timeout default
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--tls" -> options.setSsl(true).setKeyCertOptions(new PfxOptions().setPath(args[++i])
                        .setPassword(args[++i]));
                case "--no-websocket" -> webSocket = false;
                case "--watch-timeout" -> watchTimeout = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FakeApiServer api = new FakeApiServer(watchTimeout, Set.of(args[1].split(",")));
        Vertx vertx = Vertx.vertx();
        boolean upgrades = webSocket;
        HttpServer server = vertx.createHttpServer(options).requestHandler(request -> {
            synchronized (api) {
                api.handle(vertx, request, upgrades);
            }
        }).listen().toCompletionStage().toCompletableFuture().get();
        say("listening " + server.actualPort());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null; ) {
            String[] words = line.trim().split(" ", 3);
            synchronized (api) {
                api.command(words);
            }
            say("done " + line.trim().split(" ")[0]);
        }
        Thread.currentThread().join(); // stdin closed: keep serving until killed
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private void command(String[] words) {
        switch (words[0]) {
            case "put" -> put(words[1], new String(Base64.getDecoder().decode(words[2]), StandardCharsets.UTF_8));
            case "delete" -> {
                ObjectNode gone = configMaps.remove(words[1]);
                if (gone != null) {
                    record("DELETED", stamped(gone.deepCopy()));
                }
            }
            case "tokens" -> tokens = Set.of(words[1].split(","));
            case "compact" -> {
                history.clear();
                compactedThrough = version;
            }
            case "end-watches" -> watches.forEach(w -> w.end().run());
            default -> say("unknown command " + words[0]);
        }
    }

    private void put(String name, String document) {
        ObjectNode configMap = configMaps.get(name);
        boolean created = configMap == null;
        if (created) {
            configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
            configMap.putObject("metadata").put("name", name).put("namespace", NAMESPACE)
                    .put("uid", UUID.randomUUID().toString());
            configMaps.put(name, configMap);
        }
        configMap.putObject("data").put("config", document);
        record(created ? "ADDED" : "MODIFIED", stamped(configMap));
    }

    private ObjectNode stamped(ObjectNode configMap) {
        ((ObjectNode) configMap.get("metadata")).put("resourceVersion", Long.toString(++version));
        return configMap;
    }

    private void record(String type, ObjectNode object) {
        Change change = new Change(version, type, object.deepCopy());
        history.add(change);
        for (Watch watch : watches) {
            if (watch.name() == null || watch.name().equals(name(object))) {
                watch.send().accept(event(change.type(), change.object()));
            }
        }
    }

    private static String name(ObjectNode object) {
        return object.get("metadata").get("name").asText();
    }

    private static String event(String type, ObjectNode object) {
        return JSON.createObjectNode().put("type", type).set("object", object).toString();
    }

    private void handle(Vertx vertx, HttpServerRequest request, boolean upgrades) {
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        String auth = request.getHeader("Authorization");
        boolean authorized = auth != null && auth.startsWith("Bearer ") && tokens.contains(auth.substring(7));
        say("request " + request.method() + " " + request.uri() + (upgrade ? " upgrade" : "")
                + (authorized ? "" : " unauthorized"));
        if (!authorized) {
            status(request.response(), 401, "Unauthorized", "Unauthorized");
            return;
        }
        String path = request.path();
        if (request.method().name().equals("POST") && path.equals(EVENTS)) {
            request.body().onSuccess(body -> request.response().setStatusCode(201)
                    .putHeader("Content-Type", "application/json").end(body));
            return;
        }
        if (!request.method().name().equals("GET") || !path.startsWith(CONFIGMAPS)) {
            status(request.response(), 404, "NotFound", "the fake serves ConfigMaps in " + NAMESPACE + " only");
            return;
        }
        MultiMap query = request.params(); // the query's parameters, decoded
        String selected = path.length() > CONFIGMAPS.length() ? path.substring(CONFIGMAPS.length() + 1)
                : Optional.ofNullable(query.get("fieldSelector")).orElse("").replaceFirst("^metadata\\.name=", "");
        String name = selected.isEmpty() ? null : selected;
        if ("true".equals(query.get("watch"))) {
            long from = Long.parseLong(Optional.ofNullable(query.get("resourceVersion")).orElse("0"));
            long timeout = Math.min(watchTimeoutSeconds, Optional.ofNullable(query.get("timeoutSeconds"))
                    .map(Long::parseLong).orElse(watchTimeoutSeconds));
            if (upgrade && upgrades) {
                request.toWebSocket().onSuccess(ws -> watch(vertx, ws, name, from, timeout));
            } else if (upgrade) {
                // A front end without WebSocket support that answers the upgrade as a plain, ended
                // request (kubernetes/kubernetes#25126): fabric8 takes a 200 as the cue to watch with
                // a streamed GET instead. (It retries the upgrade for ever after a 503.)
                json(request.response(), 200, "{}");
            } else {
                watch(vertx, request.response(), name, from, timeout);
            }
            return;
        }
        if (path.length() > CONFIGMAPS.length()) {
            ObjectNode one = configMaps.get(name);
            if (one == null) {
                status(request.response(), 404, "NotFound", "configmaps \"" + name + "\" not found");
            } else {
                json(request.response(), 200, one.toString());
            }
            return;
        }
        ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMapList");
        list.putObject("metadata").put("resourceVersion", Long.toString(version));
        var items = list.putArray("items");
        configMaps.values().stream().filter(c -> name == null || name.equals(name(c))).forEach(items::add);
        json(request.response(), 200, list.toString());
    }

    private void watch(Vertx vertx, ServerWebSocket ws, String name, long from, long timeoutSeconds) {
        int id = ++watchIds;
        Watch watch = new Watch(id, name, ws::writeTextMessage, () -> {
            if (!ws.isClosed()) {
                ws.close((short) 1000);
            }
        });
        ws.closeHandler(v -> ended(watch, "client or connection"));
        start(vertx, watch, "websocket", from, timeoutSeconds);
    }

    private void watch(Vertx vertx, HttpServerResponse response, String name, long from, long timeoutSeconds) {
        int id = ++watchIds;
        response.setChunked(true).putHeader("Content-Type", "application/json").setStatusCode(200);
        Watch watch = new Watch(id, name, event -> {
            if (!response.ended() && !response.closed()) {
                response.write(event + "\n");
            }
        }, () -> {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
        });
        response.closeHandler(v -> ended(watch, "client or connection"));
        response.endHandler(v -> ended(watch, "server"));
        // The status line and headers go out at once, as kube-apiserver flushes them before any event.
        response.write("");
        start(vertx, watch, "http", from, timeoutSeconds);
    }

    /** Replays what the watcher missed (or answers 410), then registers it for live events. */
    private void start(Vertx vertx, Watch watch, String transport, long from, long timeoutSeconds) {
        say("watch " + watch.id() + " started " + transport + " from " + from);
        if (from != 0 && from < compactedThrough) {
            ObjectNode status = statusNode(410, "Expired", "too old resource version: " + from + " ("
                    + compactedThrough + ")");
            watch.send().accept(event("ERROR", status));
            watch.end().run();
            return;
        }
        for (Change change : history) {
            if (change.version() > from && (watch.name() == null || watch.name().equals(name(change.object())))) {
                watch.send().accept(event(change.type(), change.object()));
            }
        }
        watches.add(watch);
        vertx.setTimer(timeoutSeconds * 1000, t -> {
            synchronized (this) {
                if (watches.contains(watch)) {
                    say("watch " + watch.id() + " timed out");
                    watch.end().run();
                }
            }
        });
    }

    private void ended(Watch watch, String by) {
        if (watches.remove(watch)) {
            say("watch " + watch.id() + " ended by " + by);
        }
    }

    private static ObjectNode statusNode(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status");
        status.putObject("metadata");
        return status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    }

    private static void status(HttpServerResponse response, int code, String reason, String message) {
        json(response, code, statusNode(code, reason, message).toString());
    }

    private static void json(HttpServerResponse response, int code, String body) {
        response.setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
    }

    /** How a test wants the server: TLS or not, WebSocket or chunked watches, its own watch timeout. */
    record Options(boolean tls, boolean webSocket, long watchTimeoutSeconds, String token) {

        static Options plain() {
            return new Options(false, true, 1800, "test");
        }

        Options withTls() {
            return new Options(true, webSocket, watchTimeoutSeconds, token);
        }

        Options withoutWebSocket() {
            return new Options(tls, false, watchTimeoutSeconds, token);
        }

        Options withToken(String first) {
            return new Options(tls, webSocket, watchTimeoutSeconds, first);
        }
    }

    /** A started server process in a test namespace; {@link #close()} kills it (SIGKILL: no goodbye). */
    static final class Running implements AutoCloseable {

        private static final String KEYSTORE_PASSWORD = "fake-api";

        private final ServerProcess server;
        private final Writer commands;
        final int port;
        final Options options;
        /** The server's certificate (its own CA), when it serves TLS. */
        final Optional<Path> ca;

        private Running(ServerProcess server, Options options, Optional<Path> ca) {
            this.server = server;
            this.commands = new OutputStreamWriter(server.process().getOutputStream(), StandardCharsets.UTF_8);
            this.port = server.port();
            this.options = options;
            this.ca = ca;
        }

        /** Starts the server in {@code ns} on {@code port} (TLS material made in {@code dir}) and waits until it listens. */
        static Running start(Netns ns, Path dir, int port, Options options) throws Exception {
            Optional<Path> ca = Optional.empty();
            List<String> args = new ArrayList<>(List.of(Integer.toString(port), options.token()));
            if (options.tls()) {
                Path keystore = dir.resolve("apiserver.p12");
                ca = Optional.of(dir.resolve("ca.crt"));
                keytool("-genkeypair", "-alias", "apiserver", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=kube-apiserver", "-ext", "san=ip:127.0.0.1,dns:kubernetes.default.svc",
                        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                        "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD);
                keytool("-exportcert", "-rfc", "-alias", "apiserver", "-keystore", keystore.toString(),
                        "-storepass", KEYSTORE_PASSWORD, "-file", ca.get().toString());
                args.addAll(List.of("--tls", keystore.toString(), KEYSTORE_PASSWORD));
            }
            if (!options.webSocket()) {
                args.add("--no-websocket");
            }
            args.addAll(List.of("--watch-timeout", Long.toString(options.watchTimeoutSeconds())));
            return new Running(ServerProcess.start(ns, FakeApiServer.class, args), options, ca);
        }

        private static void keytool(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + out);
            }
        }

        /** Creates or updates ConfigMap {@code name} (key {@code config}); returns once the server has it. */
        void put(String name, String document) throws Exception {
            send("put " + name + " " + Base64.getEncoder().encodeToString(document.getBytes(StandardCharsets.UTF_8)));
        }

        void delete(String name) throws Exception {
            send("delete " + name);
        }

        /** From now on only these bearer tokens are accepted. */
        void acceptTokens(String... tokens) throws Exception {
            send("tokens " + String.join(",", tokens));
        }

        /** Forgets the event history: a watch from an older version is answered 410 Expired. */
        void compact() throws Exception {
            send("compact");
        }

        /** Ends every open watch, as the server's own timeout would. */
        void endWatches() throws Exception {
            send("end-watches");
        }

        private void send(String command) throws Exception {
            String verb = command.split(" ")[0];
            long done = lines().stream().filter(l -> l.equals("done " + verb)).count();
            commands.write(command + "\n");
            commands.flush();
            DaemonIT.await("the fake API server to take '" + verb + "'", Duration.ofSeconds(10),
                    () -> lines().stream().filter(l -> l.equals("done " + verb)).count() > done);
        }

        /** Everything the server printed: requests, watch starts and ends. */
        List<String> lines() {
            try {
                return Files.readAllLines(server.log());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String scheme() {
            return options.tls() ? "https" : "http";
        }

        /** A kubeconfig pointing at this server (with its CA when it serves TLS), for the agent's KUBECONFIG. */
        Path kubeconfig(Path dir, String token) throws IOException {
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: fake
                      cluster:
                        server: %s://127.0.0.1:%d
                    %s
                    contexts:
                    - name: fake
                      context: {cluster: fake, user: fake, namespace: kube-system}
                    current-context: fake
                    users:
                    - name: fake
                      user: {token: %s}
                    """.formatted(scheme(), port, ca.map(c -> "    certificate-authority: " + c).orElse(""), token));
            return file;
        }

        @Override
        public void close() throws InterruptedException {
            server.close();
        }
    }
}
