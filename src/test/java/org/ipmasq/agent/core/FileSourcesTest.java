package org.ipmasq.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.ipmasq.agent.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourcesTest {

    @TempDir
    Path dir;

    /**
     * The layout the kubelet gives a ConfigMap or projected volume: the keys are links into
     * {@code ..data}, itself a link to a timestamped directory that is swapped atomically.
     */
    static void kubeletLayout(Path volume, String version, String... keysAndTexts) throws IOException {
        Path data = Files.createDirectories(volume.resolve("..20261130_" + version));
        for (int i = 0; i < keysAndTexts.length; i += 2) {
            Files.writeString(data.resolve(keysAndTexts[i]), keysAndTexts[i + 1]);
        }
        Path next = volume.resolve("..data_tmp");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, data.getFileName());
        Files.move(next, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < keysAndTexts.length; i += 2) {
            Path key = volume.resolve(keysAndTexts[i]);
            if (!Files.exists(key, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(key, Path.of("..data").resolve(keysAndTexts[i]));
            }
        }
    }

    private static List<String> read(FileSources sources) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (ConfigSource source : sources.list()) {
            out.add(source.name() + "=" + source.fetch().orElse("(absent)"));
        }
        return out;
    }

    @Test
    void aFileIsOneSourceAsBefore() throws Exception {
        Path file = dir.resolve("ip-masq-agent");
        FileSources sources = new FileSources(file);
        assertEquals(List.of("ip-masq-agent=(absent)"), read(sources));
        Files.writeString(file, "resyncInterval: 5s");
        assertEquals(List.of("ip-masq-agent=resyncInterval: 5s"), read(sources));
        assertEquals("file:" + file, sources.describe());
    }

    @Test
    void aProjectedVolumeGivesEveryKeyInNameOrderAndSkipsTheKubeletsEntries() throws Exception {
        kubeletLayout(dir, "1", "ip-masq-agent-cloud", "cloud: 1", "ip-masq-agent", "user: 1");
        Files.createDirectory(dir.resolve("a-directory"));
        FileSources sources = new FileSources(dir);
        assertEquals(List.of("ip-masq-agent=user: 1", "ip-masq-agent-cloud=cloud: 1"), read(sources));

        // The kubelet swaps ..data: the links now lead to the new content.
        kubeletLayout(dir, "2", "ip-masq-agent-cloud", "cloud: 2", "ip-masq-agent", "user: 2");
        assertEquals(List.of("ip-masq-agent=user: 2", "ip-masq-agent-cloud=cloud: 2"), read(sources));

        // A key that goes away: its link dangles until the kubelet removes it, and it is no source.
        kubeletLayout(dir, "3", "ip-masq-agent", "user: 3");
        assertEquals(List.of("ip-masq-agent=user: 3"), read(sources));
        assertEquals("dir:" + dir, sources.describe());
    }

    @Test
    void anEmptyDirectoryHasNoSources() throws Exception {
        assertEquals(List.of(), new FileSources(dir).list());
    }
}
