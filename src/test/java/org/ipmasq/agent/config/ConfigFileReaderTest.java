package org.ipmasq.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileReaderTest {

    @TempDir
    Path dir;

    private final ConfigFileReader source = new ConfigFileReader();

    @Test
    void missingFileIsEmpty() throws ConfigException {
        assertEquals(Optional.empty(), ConfigFileReader.read(dir.resolve("config")));
        assertEquals(Optional.empty(), ConfigFileReader.read(dir.resolve("no-such-dir").resolve("config")));
    }

    @Test
    void readsTheContent() throws IOException, ConfigException {
        Path file = dir.resolve("config");
        String text = "nonMasqueradeCIDRs:\n  - 10.0.0.0/8\nresyncInterval: 60s\n# caf\u00e9 \u20ac \ud83d\ude00\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
        assertEquals(Optional.of(text), ConfigFileReader.read(file));
        assertEquals(Optional.of(text), source.read(file)); // also usable through an instance
    }

    @Test
    void emptyFileIsEmptyText() throws IOException, ConfigException {
        Path file = Files.createFile(dir.resolve("config"));
        assertEquals(Optional.of(""), ConfigFileReader.read(file));
    }

    @Test
    void followsSymbolicLinksLikeConfigMapMounts() throws IOException, ConfigException {
        Path data = Files.createDirectory(dir.resolve("..2024_01_01"));
        Files.writeString(data.resolve("config"), "cidrLimit: 5\n");
        Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
        Path link = Files.createSymbolicLink(dir.resolve("config"), Path.of("..data", "config"));
        assertEquals(Optional.of("cidrLimit: 5\n"), ConfigFileReader.read(link));
    }

    @Test
    void directoryIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.read(dir));
        assertEquals("config file " + dir + " is a directory, not a file", e.getMessage());
    }

    @Test
    void oversizedFileIsRejectedWithoutReadingIt() throws IOException {
        Path file = dir.resolve("config");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(2L * 1024 * 1024);
        }
        // Unreadable too: reading it would fail differently, so the size check must come first.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.read(file));
        assertEquals("config file " + file + " is 2097152 bytes, over the 1 MiB limit of a ConfigMap", e.getMessage());
    }

    @Test
    void exactlyOneMebibyteIsAllowed() throws IOException, ConfigException {
        Path file = dir.resolve("config");
        Files.writeString(file, "#".repeat(ConfigParser.MAX_CONFIG_BYTES));
        assertEquals(ConfigParser.MAX_CONFIG_BYTES, ConfigFileReader.read(file).orElseThrow().length());
        Files.writeString(file, "#".repeat(ConfigParser.MAX_CONFIG_BYTES + 1));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.read(file));
        assertEquals("config file " + file + " is 1048577 bytes, over the 1 MiB limit of a ConfigMap", e.getMessage());
    }

    @Test
    void invalidUtf8IsAnError() throws IOException {
        Path file = dir.resolve("config");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.read(file));
        assertEquals("config file " + file + " is not UTF-8 text", e.getMessage());

        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xc3}); // truncated two-byte sequence
        e = assertThrows(ConfigException.class, () -> ConfigFileReader.read(file));
        assertEquals("config file " + file + " is not UTF-8 text", e.getMessage());
    }

    @Test
    void specialFilesAreRejected() {
        Path devZero = Path.of("/dev/zero");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFileReader.read(devZero));
        assertEquals("config file /dev/zero is not a regular file", e.getMessage());
    }
}
