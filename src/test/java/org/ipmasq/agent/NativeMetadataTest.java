package org.ipmasq.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import inet.ipaddr.IPAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.ipmasq.agent.core.BackendProvider;
import org.junit.jupiter.api.Test;

/**
 * The native image's own metadata (META-INF/native-image/org.ipmasq/ip-masq-agent) kept in line
 * with the code it describes. A native build that misses one entry builds fine and fails at run
 * time ("no backend suits this host", MissingReflectionRegistrationError), and the native build
 * cannot run in CI, so the lists are checked here.
 */
class NativeMetadataTest {

    private static final String DIR = "META-INF/native-image/org.ipmasq/ip-masq-agent/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = NativeMetadataTest.class.getClassLoader().getResourceAsStream(DIR + name)) {
            assertTrue(in != null, DIR + name + " is on the class path");
            return JSON.readTree(in);
        }
    }

    private static Set<String> reflected() throws IOException {
        return StreamSupport.stream(read("reflect-config.json").spliterator(), false)
                .map(entry -> entry.path("name").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** ServiceLoader finds the backends in a native image only through these two registrations. */
    @Test
    void everyBackendProviderIsRegisteredWithItsServiceFile() throws IOException {
        String services = "META-INF/services/" + BackendProvider.class.getName();
        List<String> providers = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(services)) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(providers::add);
        }
        assertEquals(3, providers.size(), providers.toString());
        Set<String> reflected = reflected();
        for (String provider : providers) {
            assertTrue(reflected.contains(provider), provider + " registered for reflection");
        }
        String pattern = read("resource-config.json").path("resources").path("includes").get(0).path("pattern").asText();
        assertEquals("\\Q" + services + "\\E", pattern, "the service file is included as a resource");
    }

    /**
     * The address library makes arrays of its own types reflectively (Array.newInstance in
     * IPAddressNetwork and elsewhere): every named type of the jar on the class path has its array
     * registered, so a new version of the library cannot leave one out.
     */
    @Test
    void everyAddressLibraryTypeHasItsArrayRegistered() throws IOException, URISyntaxException {
        Path jar = Path.of(IPAddress.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> expected = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.contains("module-info") && !n.matches(".*\\$[0-9].*"))
                    .map(n -> "[L" + n.substring(0, n.length() - ".class".length()).replace('/', '.') + ";")
                    .forEach(expected::add);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(reflected());
        assertTrue(expected.size() > 300, "the jar was read: " + expected.size());
        assertEquals(Set.of(), missing, "array types not registered for the native image");
    }
}
