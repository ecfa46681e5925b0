package org.ipmasq.agent.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reading the deploy folders into the fabric8 model, strictly. */
final class Manifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("deploy-linux")) ? here : here.getParent();
    }

    /** Every object of a multi-document YAML file, each checked for fields the model does not know. */
    static List<HasMetadata> read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    static List<HasMetadata> parse(String yaml, String origin) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                continue;
            }
            HasMetadata object = SERIALIZATION.unmarshal(document, HasMetadata.class);
            rejectUnknownFields(object, origin + ": " + object.getKind() + "/" + object.getMetadata().getName(),
                    new IdentityHashMap<>());
            objects.add(object);
        }
        return objects;
    }

    /**
     * The fabric8 model keeps unknown fields in additionalProperties instead of failing; a typo
     * such as {@code readinesProbe} would silently vanish. Walk the object and fail on any.
     */
    static void rejectUnknownFields(Object node, String path, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                rejectUnknownFields(item, path + "[" + i++ + "]", seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> rejectUnknownFields(v, path + "." + k, seen));
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    fail(path + ": fields the Kubernetes model does not know: " + extra.keySet());
                }
            } else {
                rejectUnknownFields(value, path + "." + getter.getName().substring(3), seen);
            }
        }
    }

    /** `kubectl kustomize DIR`, offline. */
    static String kustomize(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("kubectl kustomize " + dir + " failed:\n" + out);
        }
        return out;
    }
}
