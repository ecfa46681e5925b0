package org.ipmasq.agent.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The default file read goes through the runner's own {@code cat}, so a runner whose programs
 * run elsewhere (a test's network namespace) reads the file there, not where the JVM is.
 */
class CommandRunnerTest {

    /** Answers {@code cat PATH} from a map, as a namespace's files would; records what it ran. */
    private static final class CatOnly implements CommandRunner {
        final Map<String, String> files;
        final List<List<String>> ran = new ArrayList<>();

        CatOnly(Map<String, String> files) {
            this.files = files;
        }

        @Override
        public CommandResult run(List<String> argv, String stdin) throws IOException {
            ran.add(argv);
            if (!argv.get(0).equals("cat")) {
                throw new IOException("cannot run " + argv.get(0));
            }
            String text = files.get(argv.get(1));
            return text == null ? new CommandResult(argv, 1, "", "cat: " + argv.get(1) + ": No such file or directory\n")
                    : new CommandResult(argv, 0, text, "");
        }

        @Override
        public boolean exists(String program) {
            return program.equals("cat");
        }
    }

    @Test
    void readsThroughCatWhereTheProgramsRun() {
        CatOnly runner = new CatOnly(Map.of("/proc/net/ip_tables_names", "nat\n"));
        assertEquals("nat\n", runner.readIfPresent("/proc/net/ip_tables_names"));
        assertEquals(List.of(List.of("cat", "/proc/net/ip_tables_names")), runner.ran);
    }

    @Test
    void aFileCatCannotReadIsEmpty() {
        assertEquals("", new CatOnly(Map.of()).readIfPresent("/proc/net/ip6_tables_names"));
    }

    @Test
    void noCatAtAllIsEmptyToo() {
        CommandRunner none = new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv, String stdin) throws IOException {
                throw new IOException("cannot run " + argv.get(0) + ": not found");
            }

            @Override
            public boolean exists(String program) {
                return false;
            }
        };
        assertEquals("", none.readIfPresent("/proc/net/ip_tables_names"));
    }
}
