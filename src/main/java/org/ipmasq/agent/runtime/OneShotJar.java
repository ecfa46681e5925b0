package org.ipmasq.agent.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * Merges the runner's class path into the one jar a one-shot run starts from (built by
 * scripts/make-aot-cache.sh, next to the one-shot cache). A lookup on the class path that finds
 * nothing (every {@code ServiceLoader}, a {@code ResourceBundle}'s locale variants, the log
 * manager's configuration) makes the JDK open every jar on it: 180 of them, about 90 ms of a
 * 450 ms run. One jar is opened once.
 *
 * <p>The rules are the class loader's own: the first jar that has an entry wins it, as the first
 * on the class path wins a class; service files ({@code META-INF/services/}) are joined, since
 * {@code ServiceLoader} reads every jar's; signatures and manifests are dropped (the merged jar is
 * not what was signed), and the merged jar is multi-release when any of its parts is.
 *
 * <p>Usage: {@code OneShotJar OUTPUT JAR...}, the jars in class path order.
 */
final class OneShotJar {

    private static final String SERVICES = "META-INF/services/";

    private OneShotJar() {
    }

    public static void main(String... args) throws IOException {
        List<Path> parts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            parts.add(Path.of(args[i]));
        }
        merge(parts, Path.of(args[0]));
    }

    static void merge(List<Path> parts, Path output) throws IOException {
        Set<String> taken = new HashSet<>();
        Map<String, ByteArrayOutputStream> services = new LinkedHashMap<>();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path partial = output.resolveSibling(output.getFileName() + ".part");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(partial))) {
            for (Path part : parts) {
                if (!Files.isRegularFile(part)) {
                    continue; // the runner's class path names some jars that a build may not make
                }
                try (JarFile jar = new JarFile(part.toFile())) {
                    Manifest own = jar.getManifest();
                    if (own != null && "true".equalsIgnoreCase(own.getMainAttributes().getValue("Multi-Release"))) {
                        manifest.getMainAttributes().putValue("Multi-Release", "true");
                    }
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry entry = entries.nextElement();
                        String name = entry.getName();
                        if (name.startsWith(SERVICES) && !entry.isDirectory()) {
                            appendLine(services.computeIfAbsent(name, n -> new ByteArrayOutputStream()), jar, entry);
                        } else if (!dropped(name) && taken.add(name)) {
                            out.putNextEntry(new ZipEntry(name));
                            try (InputStream in = jar.getInputStream(entry)) {
                                in.transferTo(out);
                            }
                            out.closeEntry();
                        }
                    }
                }
            }
            for (Map.Entry<String, ByteArrayOutputStream> service : services.entrySet()) {
                out.putNextEntry(new ZipEntry(service.getKey()));
                service.getValue().writeTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(JarFile.MANIFEST_NAME));
            manifest.write(out);
            out.closeEntry();
        }
        Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A part's manifest and signature files, which describe that part only. */
    static boolean dropped(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.equals("META-INF/MANIFEST.MF") || upper.equals("META-INF/INDEX.LIST")
                || (upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                        && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")
                                || upper.endsWith(".EC")));
    }

    /** Adds one part's service file, ending it with a line break so the next part's names start a line. */
    private static void appendLine(OutputStream joined, JarFile jar, JarEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry)) {
            byte[] text = in.readAllBytes();
            joined.write(text);
            if (text.length > 0 && text[text.length - 1] != '\n') {
                joined.write('\n');
            }
        }
    }
}
