package org.ipmasq.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merged one-shot jar reads as the class path it was merged from would. */
class OneShotJarTest {

    @TempDir
    Path dir;

    private Path jar(String name, boolean multiRelease, Map<String, String> entries) throws IOException {
        Path file = dir.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (multiRelease) {
            manifest.getMainAttributes().putValue("Multi-Release", "true");
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }

    private static String read(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        return entry == null ? null : new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theFirstJarWinsServiceFilesAreJoinedAndSignaturesDropped() throws IOException {
        Map<String, String> first = new LinkedHashMap<>();
        first.put("p/Shared.class", "from the first");
        first.put("p/OnlyFirst.class", "first only");
        first.put("META-INF/services/p.Spi", "p.FirstImpl");
        Map<String, String> second = new LinkedHashMap<>();
        second.put("p/Shared.class", "from the second");
        second.put("META-INF/services/p.Spi", "# a comment\np.SecondImpl\n");
        second.put("META-INF/SIGNER.SF", "signature");
        second.put("META-INF/SIGNER.RSA", "signature");
        second.put("META-INF/versions/17/p/Shared.class", "for 17");
        Path merged = dir.resolve("merged.jar");

        OneShotJar.merge(List.of(jar("a.jar", false, first), dir.resolve("missing.jar"), jar("b.jar", true, second)),
                merged);

        try (JarFile jar = new JarFile(merged.toFile())) {
            assertEquals("from the first", read(jar, "p/Shared.class"));
            assertEquals("first only", read(jar, "p/OnlyFirst.class"));
            assertEquals("for 17", read(jar, "META-INF/versions/17/p/Shared.class"));
            assertEquals("p.FirstImpl\n# a comment\np.SecondImpl\n", read(jar, "META-INF/services/p.Spi"));
            assertNull(jar.getJarEntry("META-INF/SIGNER.SF"));
            assertNull(jar.getJarEntry("META-INF/SIGNER.RSA"));
            assertEquals("true", jar.getManifest().getMainAttributes().getValue("Multi-Release"));
        }
        assertFalse(Files.exists(dir.resolve("merged.jar.part")));
    }

    @Test
    void onlyTopLevelSignatureFilesAndManifestsAreDropped() {
        assertTrue(OneShotJar.dropped("META-INF/MANIFEST.MF"));
        assertTrue(OneShotJar.dropped("META-INF/BC1024KE.DSA"));
        assertTrue(OneShotJar.dropped("META-INF/key.ec"));
        assertFalse(OneShotJar.dropped("META-INF/services/p.Spi"));
        assertFalse(OneShotJar.dropped("META-INF/versions/9/module-info.class"));
        assertFalse(OneShotJar.dropped("p/RESOURCE.SF"));
    }
}
