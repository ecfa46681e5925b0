package org.ipmasq.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ipmasq.agent.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourcesTest {

    @TempDir
    Path dir;

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
        KubeletVolume.write(dir, "1", "ip-masq-agent-cloud", "cloud: 1", "ip-masq-agent", "user: 1");
        Files.createDirectory(dir.resolve("a-directory"));
        FileSources sources = new FileSources(dir);
        assertEquals(List.of("ip-masq-agent=user: 1", "ip-masq-agent-cloud=cloud: 1"), read(sources));

        // The kubelet swaps ..data: the links now lead to the new content.
        KubeletVolume.write(dir, "2", "ip-masq-agent-cloud", "cloud: 2", "ip-masq-agent", "user: 2");
        assertEquals(List.of("ip-masq-agent=user: 2", "ip-masq-agent-cloud=cloud: 2"), read(sources));

        // A key that goes away: its link dangles until the kubelet removes it, and it is no source.
        KubeletVolume.write(dir, "3", "ip-masq-agent", "user: 3");
        assertEquals(List.of("ip-masq-agent=user: 3"), read(sources));
        assertEquals("file:" + dir, sources.describe());
    }

    @Test
    void anEmptyDirectoryHasNoSources() throws Exception {
        assertEquals(List.of(), new FileSources(dir).list());
    }
}
