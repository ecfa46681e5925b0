package org.ipmasq.agent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test server's {@code main} run as a JVM of its own inside a test namespace, so an agent in the
 * same namespace reaches it on 127.0.0.1 and the host's network stays untouched. The server prints
 * {@code listening PORT} once it accepts connections; its output goes to {@link #log}.
 */
record ServerProcess(Process process, Path log, int port) implements AutoCloseable {

    /** Starts {@code main} with {@code args} in {@code ns} and waits until it listens. */
    static ServerProcess start(Netns ns, Class<?> main, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ns.command(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        Path log = Files.createTempFile(main.getSimpleName() + "-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Optional<String> line = Files.readAllLines(log).stream().filter(l -> l.startsWith("listening ")).findFirst();
            if (line.isPresent()) {
                return new ServerProcess(process, log, Integer.parseInt(line.get().substring("listening ".length()).trim()));
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException(main.getSimpleName() + " did not start in " + ns.name + ":\n" + Files.readString(log));
    }

    /** Kills the server (SIGKILL: an API that vanishes, no goodbye). */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }
}
