package org.ipmasq.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void aCommandPastTheTimeLimitIsAnError() {
        ProcessCommandRunner quick = new ProcessCommandRunner(Duration.ofMillis(200));
        IOException e = assertThrows(IOException.class, () -> quick.run(List.of("sleep", "5"), ""));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }
}
