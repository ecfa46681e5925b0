package org.ipmasq.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh, sleep): input, both output streams, the exit code and the time limit. */
class ProcessCommandRunnerTest {

    private final ProcessCommandRunner runner = new ProcessCommandRunner(Duration.ofSeconds(5));

    @Test
    void runFeedsInputAndCollectsBothStreamsAndTheExitCode() throws IOException {
        CommandResult result = runner.run(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "line\n");
        assertEquals(3, result.exitCode());
        assertEquals("line\n", result.stdout());
        assertEquals("oops\n", result.stderr());
    }

    /** Without a child process: a plain file, a /proc file (whose size says 0), a missing one. */
    @Test
    void readsAFileItselfAndGivesEmptyForAMissingOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("names");
        Files.writeString(file, "nat\nfilter\n");
        assertEquals("nat\nfilter\n", runner.readIfPresent(file.toString()));
        assertTrue(runner.readIfPresent("/proc/self/status").contains("Name:"));
        assertEquals("", runner.readIfPresent(dir.resolve("missing").toString()));
    }

    @Test
    void aCommandPastTheTimeLimitIsAnError() {
        ProcessCommandRunner quick = new ProcessCommandRunner(Duration.ofMillis(200));
        IOException e = assertThrows(IOException.class, () -> quick.run(List.of("sleep", "5"), ""));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }
}
