package org.ipmasq.agent.core;

import java.nio.file.Path;
import java.util.Optional;
import org.ipmasq.agent.config.ConfigException;
import org.ipmasq.agent.config.ConfigFileReader;

/** The document as the original agent reads it: a file mounted from the ConfigMap. */
public final class FileConfigSource implements ConfigSource {

    private final Path path;

    public FileConfigSource(Path path) {
        this.path = path;
    }

    @Override
    public Optional<String> fetch() throws ConfigException {
        return ConfigFileReader.read(path);
    }

    @Override
    public ConfigSourceStatus status() {
        return ConfigSourceStatus.file(path.toString());
    }

    @Override
    public String name() {
        Path fileName = path.getFileName();
        return fileName == null ? path.toString() : fileName.toString();
    }
}
