package org.ipmasq.agent.backend.hns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code diff} and {@code patch} programs (installed by scripts/install-deps.sh), as
 * the judges of the dry run's diffs: what GNU diff prints for the same two texts, and what
 * applying a diff to the original gives. A missing program fails the test.
 */
final class DiffTools {

    private DiffTools() {
    }

    /** {@code diff -u --label PATH --label PATH} of the two texts. */
    static String gnuDiff(Path scratch, String path, String before, String after) throws IOException, InterruptedException {
        Path a = write(scratch, "a", before);
        Path b = write(scratch, "b", after);
        Result result = run(scratch, null, "diff", "-u", "--label", path, "--label", path, a.toString(), b.toString());
        if (result.exit() > 1) {
            throw new AssertionError("diff failed: " + result.err());
        }
        return result.out();
    }

    /** {@code original} with {@code diff} applied by {@code patch}. */
    static String patch(Path scratch, String original, String diff) throws IOException, InterruptedException {
        Path target = write(scratch, "target", original);
        Path patchFile = write(scratch, "change.diff", diff);
        Path out = scratch.resolve("patched");
        Files.deleteIfExists(out);
        Result result = run(scratch, patchFile, "patch", "--batch", "--silent", "--no-backup-if-mismatch", "-o",
                out.toString(), target.toString());
        if (result.exit() != 0) {
            throw new AssertionError("patch refused the diff (exit " + result.exit() + "): " + result.out() + result.err()
                    + "\n" + diff);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Result run(Path dir, Path stdin, String... argv) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(argv))).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(argv[0] + " did not finish in 30s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
