package org.ipmasq.agent.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a directory the way the kubelet fills a ConfigMap or projected volume, for tests. */
public final class KubeletVolume {

    private KubeletVolume() {
    }

    /**
     * The layout the kubelet gives a ConfigMap or projected volume: the keys are links into
     * {@code ..data}, itself a link to a timestamped directory that is swapped atomically; the
     * previous directory is then removed.
     */
    public static void write(Path volume, String version, String... keysAndTexts) throws IOException {
        Path data = Files.createDirectories(volume.resolve("..20261130_" + version));
        for (int i = 0; i < keysAndTexts.length; i += 2) {
            Files.writeString(data.resolve(keysAndTexts[i]), keysAndTexts[i + 1]);
        }
        Path current = volume.resolve("..data");
        Path previous = Files.isSymbolicLink(current) ? volume.resolve(Files.readSymbolicLink(current)) : null;
        Path next = volume.resolve("..data_tmp");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, data.getFileName());
        Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // As the kubelet's atomic writer does, the previous version goes once nothing links to it.
        if (previous != null && !previous.equals(data)) {
            try (var old = Files.list(previous)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(previous);
        }
        for (int i = 0; i < keysAndTexts.length; i += 2) {
            Path key = volume.resolve(keysAndTexts[i]);
            if (!Files.exists(key, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(key, Path.of("..data").resolve(keysAndTexts[i]));
            }
        }
    }
}
