package org.ipmasq.agent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace the test creates and deletes. Everything a kernel test runs goes through
 * {@link #exec}, i.e. {@code ip netns exec}, so the host's own rules and routes are never touched.
 */
final class Netns implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String name;

    private Netns(String name) {
        this.name = name;
    }

    static Netns create(String role) {
        String name = "ipm-" + role + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        host("ip", "netns", "add", name);
        Netns ns = new Netns(name);
        ns.ok("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Runs on the host: only for `ip netns`/`ip link` plumbing of namespaces we own. */
    static Result host(String... argv) {
        Result r = Result.of(List.of(argv), "");
        assertEquals(0, r.exit, () -> "host command failed: " + r);
        return r;
    }

    Result exec(String... argv) {
        return execWithInput("", argv);
    }

    Result execWithInput(String input, String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(List.of(argv));
        return Result.of(command, input);
    }

    /** Runs and insists on success. */
    Result ok(String... argv) {
        Result r = exec(argv);
        assertEquals(0, r.exit, () -> "command failed in " + name + ": " + r);
        return r;
    }

    List<String> command(String... argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(List.of(argv));
        return command;
    }

    @Override
    public void close() {
        Result.of(List.of("ip", "netns", "del", name), "");
    }

    record Result(List<String> command, int exit, String out, String err) {

        static Result of(List<String> command, String input) {
            try {
                Process p = new ProcessBuilder(command).start();
                p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                // Reading both streams to the end before waiting is fine for the short outputs of these tools.
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + command);
                }
                return new Result(command, p.exitValue(), new String(out, StandardCharsets.UTF_8),
                        new String(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " -> exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
