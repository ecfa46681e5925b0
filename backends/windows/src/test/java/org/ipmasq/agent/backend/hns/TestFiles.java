package org.ipmasq.agent.backend.hns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test data under backends/windows/src/test/resources, read from the source tree: the build
 * adds this backend's test sources but not a test-resources folder, and the golden files are
 * meant to be read and diffed as files anyway. Surefire and failsafe run in the project folder.
 */
final class TestFiles {

    static final Path ROOT = Path.of(System.getProperty("basedir", "."), "backends/windows/src/test/resources");

    private TestFiles() {
    }

    static Path path(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.isRegularFile(path) && !Files.isDirectory(path)) {
            throw new IllegalArgumentException("no test file " + path.toAbsolutePath());
        }
        return path;
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
