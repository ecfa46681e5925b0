package org.ipmasq.agent.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs real programs, looked up on PATH plus the sbin folders where iptables lives. */
public final class ProcessCommandRunner implements CommandRunner {

    private final List<Path> searchPath;
    private final Duration timeout;
    /**
     * Drains the output pipes. Its idle threads are kept (for a minute) and reused by the next
     * pass, instead of two new threads per command: with two commands a second that creation
     * was a visible part of the agent's idle CPU.
     */
    private final ExecutorService drainers = Executors.newCachedThreadPool(reader -> {
        Thread thread = new Thread(reader, "command-output");
        thread.setDaemon(true);
        return thread;
    });

    public ProcessCommandRunner(Duration timeout) {
        this(defaultSearchPath(), timeout);
    }

    public ProcessCommandRunner(List<Path> searchPath, Duration timeout) {
        this.searchPath = List.copyOf(searchPath);
        this.timeout = timeout;
    }

    /** PATH first (so an operator or a test can put a wrapper in front), then the sbin folders. */
    static List<Path> defaultSearchPath() {
        Set<Path> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        for (String dir : List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            dirs.add(Path.of(dir));
        }
        return new ArrayList<>(dirs);
    }

    @Override
    public boolean exists(String program) {
        return resolve(program) != null;
    }

    private Path resolve(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? p : null;
        }
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Read here: the agent runs in the namespace its commands do, so no {@code cat} is needed. */
    @Override
    public String readIfPresent(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException unreadable) {
            return "";
        }
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) throws IOException {
        Path binary = resolve(argv.get(0));
        if (binary == null) {
            throw new IOException("cannot run " + argv.get(0) + ": not found in " + searchPath);
        }
        List<String> command = new ArrayList<>(argv);
        command.set(0, binary.toString());
        Process process = new ProcessBuilder(command).start();
        // Output is drained on other threads so a large iptables-save cannot fill the pipe and stall.
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException closedEarly) {
            // The program exited without reading all input; its exit code tells the story.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + "s");
            }
            return new CommandResult(argv, process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
    }

    /**
     * A thread of its own per stream (from {@link #drainers}, which grows as needed): the common
     * pool has a single worker on a 2-core node, and draining stdout there while stderr fills up
     * would deadlock against the child.
     */
    private CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        drainers.execute(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                text.complete(buffer.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return text;
    }
}
