package org.ipmasq.agent.kernel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * Load generator for scripts/bench-nftables.sh, run in the pod namespace: opens TCP connections
 * to a port where nothing listens, one after another, for a fixed time. Each attempt is a new
 * flow whose SYN crosses the node's nat POSTROUTING once (the peer's RST then follows
 * conntrack), so attempts per second measure the per-new-flow cost of the masquerade rules.
 * Bounded: one thread, one attempt at a time, for the given seconds.
 */
public final class ConnectRate {

    private ConnectRate() {
    }

    /** Arguments: address port warmup-seconds measure-seconds. Prints "attempts-per-second refused-share". */
    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        run(target, Long.parseLong(args[2]) * 1000);
        long[] counts = run(target, Long.parseLong(args[3]) * 1000);
        double seconds = counts[2] / 1e9;
        System.out.printf(Locale.ROOT, "%.0f %.3f%n", counts[0] / seconds, counts[1] / (double) Math.max(1, counts[0]));
    }

    /** Returns attempts, refused attempts, elapsed nanoseconds. */
    private static long[] run(InetSocketAddress target, long millis) {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        long attempts = 0;
        long refused = 0;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(target, 1000);
            } catch (ConnectException expected) {
                refused++;
            } catch (IOException other) {
                // a timeout (a dropped SYN) still counts as an attempt, but not as refused
            }
            attempts++;
        }
        return new long[] {attempts, refused, System.nanoTime() - start};
    }
}
