package org.ipmasq.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Reads the config file (normally a ConfigMap key mounted into the pod). A missing file is not an
 * error: the agent then runs with the defaults, as the Go agent did. Symbolic links are followed,
 * since Kubernetes mounts ConfigMap keys as links into a {@code ..data} directory.
 */
public final class ConfigFileReader {

    /**
     * @return the file's text, or empty when the file does not exist
     * @throws ConfigException when the file exists but is not a readable, UTF-8, regular file of at
     *     most 1 MiB
     */
    public static Optional<String> read(Path path) throws ConfigException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw cannotRead(path, e);
        }
        if (attributes.isDirectory()) {
            throw new ConfigException("config file " + path + " is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            // A FIFO or device could block or never end.
            throw new ConfigException("config file " + path + " is not a regular file");
        }
        if (attributes.size() > ConfigParser.MAX_CONFIG_BYTES) {
            throw tooLarge(path, attributes.size());
        }

        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            // Read at most one byte past the limit, in case the file grew after the size check.
            bytes = in.readNBytes(ConfigParser.MAX_CONFIG_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed between the two calls: same as not there
        } catch (IOException e) {
            throw cannotRead(path, e);
        }
        if (bytes.length > ConfigParser.MAX_CONFIG_BYTES) {
            throw new ConfigException("config file " + path + " is over the 1 MiB limit of a ConfigMap");
        }
        return Optional.of(decode(path, bytes));
    }

    private static String decode(Path path, byte[] bytes) throws ConfigException {
        try {
            return StrictUtf8.decode(bytes, 0);
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + path + " is not UTF-8 text", e);
        }
    }

    private static ConfigException tooLarge(Path path, long size) {
        return new ConfigException("config file " + path + " is " + size + " bytes, over the 1 MiB limit of a ConfigMap");
    }

    private static ConfigException cannotRead(Path path, IOException e) {
        String reason;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            reason = fileSystem.getReason();
        } else {
            reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return new ConfigException("config file " + path + " cannot be read: " + reason, e);
    }
}
