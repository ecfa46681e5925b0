package org.ipmasq.agent.core;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A {@link SyncScheduler} whose clock moves only when the test says so. Tasks run on the test's
 * own thread, in the order they fall due, during {@link #advance}; so a test of the loop's timing
 * is exact and takes no real time.
 */
final class ManualScheduler implements SyncScheduler {

    private record Due(long at, long order, Runnable task) { }

    private final PriorityQueue<Due> waiting =
            new PriorityQueue<>(Comparator.comparingLong(Due::at).thenComparingLong(Due::order));
    private long now;
    private long scheduled;
    private boolean closed;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        if (!closed) {
            waiting.add(new Due(now + delay.toNanos(), scheduled++, task));
        }
    }

    /** Moves the clock on by {@code by}, running each task as its time comes (tasks may schedule more). */
    void advance(Duration by) {
        long end = now + by.toNanos();
        while (!waiting.isEmpty() && waiting.peek().at() <= end) {
            Due next = waiting.poll();
            now = Math.max(now, next.at());
            next.task().run();
        }
        now = end;
    }

    /** Runs what is due now, without moving the clock. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** How many tasks wait to run. */
    int waiting() {
        return waiting.size();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        waiting.clear();
    }
}
