package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ipmasq.agent.core.BackendProvider;
import org.junit.jupiter.api.Test;

/**
 * Every backend folder's META-INF/services registration reaches the ServiceLoader. All backends
 * compile into one artifact, where same-named resources overwrite each other; the build merges
 * them (maven-antrun-plugin in pom.xml). Without that, adding this backend's file silently
 * removed the Linux backends.
 */
class BackendRegistrationTest {

    static final String SERVICES = "src/main/resources/META-INF/services/" + BackendProvider.class.getName();

    @Test
    void everyBackendFoldersProvidersAreLoaded() throws IOException {
        Set<String> registered = new TreeSet<>();
        Path backends = Path.of(System.getProperty("basedir", "."), "backends");
        try (Stream<Path> folders = Files.list(backends)) {
            for (Path folder : folders.sorted().toList()) {
                Path services = folder.resolve(SERVICES);
                if (Files.isRegularFile(services)) {
                    Files.readAllLines(services).stream().map(String::strip)
                            .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(registered::add);
                }
            }
        }
        assertTrue(registered.contains(HnsBackendProvider.class.getName()), registered.toString());
        assertTrue(registered.size() >= 2, "the Linux backends register too: " + registered);

        Set<String> loaded = new TreeSet<>();
        ServiceLoader.load(BackendProvider.class).stream().forEach(p -> loaded.add(p.type().getName()));

        assertEquals(registered, loaded);
    }
}
