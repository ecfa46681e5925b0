package org.ipmasq.agent.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The API server the daemon's AOT cache is trained against (scripts/make-aot-cache.sh), so the
 * cache holds what a pod's agent loads: the TLS read of its ConfigMap before the boot, the client,
 * the informer's list and WebSocket watch, an Event. Without it the training reads a file, and
 * the deployed path loads some 800 TLS classes from jars at every start (docs/benchmarks.md, "As
 * deployed"). It serves the one ConfigMap, accepts any bearer token, and holds watches open until
 * it is killed: it lives only as long as one training run, in that run's network namespace.
 *
 * <p>Usage: {@code TrainingApi PORT KEYSTORE.p12 PASSWORD DOCUMENT_FILE}; prints {@code listening}
 * once it accepts connections.
 */
final class TrainingApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIGMAPS = "/api/v1/namespaces/kube-system/configmaps";

    private TrainingApi() {
    }

    public static void main(String... args) throws Exception {
        ObjectNode configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", "ip-masq-agent").put("namespace", "kube-system")
                .put("resourceVersion", "1").put("uid", "00000000-0000-0000-0000-000000000001");
        configMap.putObject("data").put("config", Files.readString(Path.of(args[3])));
        ObjectNode list = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMapList");
        list.putObject("metadata").put("resourceVersion", "1");
        list.putArray("items").add(configMap);
        HttpServerOptions options = new HttpServerOptions().setPort(Integer.parseInt(args[0])).setHost("127.0.0.1")
                .setSsl(true).setKeyCertOptions(new PfxOptions().setPath(args[1]).setPassword(args[2]));
        Vertx.vertx().createHttpServer(options).requestHandler(request -> answer(request, configMap, list))
                .listen().toCompletionStage().toCompletableFuture().get();
        System.out.println("listening");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void answer(HttpServerRequest request, ObjectNode configMap, ObjectNode list) {
        String path = request.path();
        if ("true".equals(request.getParam("watch"))) {
            // Held open with no event, as a quiet ConfigMap's watch is.
            request.toWebSocket();
        } else if (path.equals(CONFIGMAPS + "/ip-masq-agent")) {
            json(request, 200, configMap.toString());
        } else if (path.equals(CONFIGMAPS)) {
            json(request, 200, list.toString());
        } else if (request.method().name().equals("POST")) {
            request.body().onSuccess(body -> json(request, 201, body.toString()));
        } else {
            json(request, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
    }

    private static void json(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
