package org.ipmasq.agent.core;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ipmasq.agent.config.ConfigException;

/**
 * {@code --config}: a file (one source, as the original agent reads it) or a directory, where
 * every regular file is a source, in name order. A directory is what a projected volume of
 * several ConfigMaps gives: one file per key, reached through symbolic links into a hidden
 * {@code ..data} directory that the kubelet swaps atomically. Entries whose names start with
 * {@code ..} are that machinery and are skipped; links are followed, so the visible keys count.
 * The directory is listed again on every pass, so a key that appears or goes away is seen.
 */
public final class FileSources implements ConfigSources {

    private final Path path;

    public FileSources(Path path) {
        this.path = path;
    }

    @Override
    public List<ConfigSource> list() throws ConfigException {
        if (!Files.isDirectory(path)) {
            return List.of(new FileConfigSource(path));
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith("..") && Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            // Not "no sources": that would mean the defaults. The last good config stays instead.
            throw new ConfigException("config directory " + path + " cannot be listed: " + e.getMessage(), e);
        }
        files.sort(null);
        return files.stream().<ConfigSource>map(FileConfigSource::new).toList();
    }

    @Override
    public ConfigSourceStatus status() {
        return ConfigSourceStatus.file(path.toString());
    }
}
