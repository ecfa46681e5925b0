package org.ipmasq.agent.backend.hns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files {@code --windows-cni-conf} names: the file itself, or in a folder the files libcni
 * would load ({@code *.conf}, {@code *.conflist}, {@code *.json}), not recursing, in name order.
 */
final class CniConfFiles {

    private static final List<String> SUFFIXES = List.of(".conf", ".conflist", ".json");

    private CniConfFiles() {
    }

    static List<Path> under(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (Stream<Path> entries = Files.list(path)) {
                return entries.filter(Files::isRegularFile).filter(CniConfFiles::isConf).sorted().toList();
            }
        }
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or folder");
        }
        throw new IOException(path + " is neither a regular file nor a folder");
    }

    private static boolean isConf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().anyMatch(name::endsWith);
    }
}
