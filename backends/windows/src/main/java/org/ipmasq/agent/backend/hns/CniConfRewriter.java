package org.ipmasq.agent.backend.hns;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.config.StrictUtf8;

/**
 * Keeps the OutBoundNAT exception lists of the CNI conf files in line, so that pods created
 * from now on start right (the plugin builds each new endpoint's OutBoundNAT from its conf).
 * A file that is already right is not written; one that cannot be parsed is reported and left
 * exactly as it is. A UTF-8 byte order mark, as Windows editors write, is kept.
 */
final class CniConfRewriter {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** What happened to one file. */
    sealed interface FileOutcome {
        Path file();
    }

    record Unchanged(Path file) implements FileOutcome {
    }

    /**
     * {@code lists} are the distinct exception lists written (one per family in practice);
     * {@code diff} the change to the file's text, as {@code diff -u} shows it ({@link UnifiedDiff}).
     */
    record Rewritten(Path file, List<List<String>> lists, String diff) implements FileOutcome {
    }

    record Failed(Path file, String reason) implements FileOutcome {
    }

    private final Path path;

    CniConfRewriter(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Brings every file in line; with {@code write} false, only says what it would write. */
    List<FileOutcome> run(WantedExceptions wanted, boolean write) {
        List<Path> files;
        try {
            files = CniConfFiles.under(path);
        } catch (IOException e) {
            return List.of(new Failed(path, "cannot read " + path + ": " + describe(e)));
        }
        List<FileOutcome> outcomes = new ArrayList<>();
        for (Path file : files) {
            outcomes.add(one(file, wanted, write));
        }
        return outcomes;
    }

    private static FileOutcome one(Path file, WantedExceptions wanted, boolean write) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            boolean bom = bytes.length >= BOM.length && Arrays.equals(bytes, 0, BOM.length, BOM, 0, BOM.length);
            String text = utf8(bytes, bom ? BOM.length : 0);
            Optional<CniConf.Rewrite> rewrite = CniConf.parse(text).rewrite(wanted);
            if (rewrite.isEmpty()) {
                return new Unchanged(file);
            }
            if (write) {
                byte[] body = rewrite.get().text().getBytes(StandardCharsets.UTF_8);
                byte[] out = bom ? concat(BOM, body) : body;
                AtomicFile.replace(file, out);
            }
            String mark = bom ? "\uFEFF" : "";
            String diff = UnifiedDiff.of(file.toString(), mark + text, mark + rewrite.get().text());
            return new Rewritten(file, rewrite.get().lists(), diff);
        } catch (CniConfException e) {
            return new Failed(file, e.getMessage());
        } catch (IOException e) {
            return new Failed(file, describe(e));
        }
    }

    private static String utf8(byte[] bytes, int offset) throws CniConfException {
        try {
            return StrictUtf8.decode(bytes, offset);
        } catch (CharacterCodingException e) {
            throw new CniConfException("not UTF-8 text (the CNI plugins read UTF-8 JSON)", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
